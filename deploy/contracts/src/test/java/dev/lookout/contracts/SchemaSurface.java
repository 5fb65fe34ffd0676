package dev.lookout.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a consumer can rely on in an event schema, flattened to one entry per field path ({@code /target/model}):
 * its JSON types, whether its object always carries it, and its format, const and enum values. Descriptions and
 * examples are not part of it. {@code $ref}s to the document's own {@code $defs} and {@code oneOf}/{@code anyOf}
 * alternatives (as used for nullable objects) are followed.
 */
record SchemaSurface(Map<String, Field> fields) {

    record Field(Set<String> types, boolean required, String format, String constant, Set<String> enumValues) {

        JsonNode toJson(ObjectMapper mapper) {
            ObjectNode o = mapper.createObjectNode();
            types.forEach(o.putArray("type")::add);
            o.put("required", required);
            if (format != null) {
                o.put("format", format);
            }
            if (constant != null) {
                o.put("const", constant);
            }
            if (enumValues != null) {
                enumValues.forEach(o.putArray("enum")::add);
            }
            return o;
        }

        static Field fromJson(JsonNode o) {
            Set<String> enumValues = o.has("enum") ? strings(o.get("enum")) : null;
            return new Field(strings(o.path("type")), o.path("required").asBoolean(), o.path("format").asText(null),
                    o.path("const").asText(null), enumValues);
        }
    }

    static SchemaSurface of(JsonNode schema) {
        Map<String, Field> fields = new TreeMap<>();
        collect(schema, schema, "", fields, 0);
        return new SchemaSurface(fields);
    }

    JsonNode toJson(ObjectMapper mapper) {
        ObjectNode o = mapper.createObjectNode();
        fields.forEach((path, field) -> o.set(path, field.toJson(mapper)));
        return o;
    }

    static SchemaSurface fromJson(JsonNode o) {
        Map<String, Field> fields = new TreeMap<>();
        o.fields().forEachRemaining(e -> fields.put(e.getKey(), Field.fromJson(e.getValue())));
        return new SchemaSurface(fields);
    }

    private static void collect(JsonNode root, JsonNode object, String path, Map<String, Field> out, int depth) {
        if (depth > 20) {
            throw new IllegalArgumentException("schema nests deeper than 20 levels at " + path);
        }
        Set<String> required = strings(object.path("required"));
        for (Iterator<Map.Entry<String, JsonNode>> it = object.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String child = path + "/" + e.getKey();
            List<JsonNode> alternatives = alternatives(root, e.getValue());
            Set<String> types = new TreeSet<>();
            String format = null;
            String constant = null;
            Set<String> enumValues = null;
            for (JsonNode alt : alternatives) {
                types.addAll(strings(alt.path("type")));
                format = alt.has("format") ? alt.get("format").asText() : format;
                constant = alt.has("const") ? alt.get("const").toString() : constant;
                enumValues = alt.has("enum") ? strings(alt.get("enum")) : enumValues;
                if (alt.has("properties")) {
                    types.add("object");
                    collect(root, alt, child, out, depth + 1);
                }
                if (alt.has("items")) {
                    collect(root, wrapItems(resolve(root, alt.get("items"))), child, out, depth + 1);
                }
            }
            out.put(child, new Field(types, required.contains(e.getKey()), format, constant, enumValues));
        }
    }

    /** Array items appear as the path segment {@code []}. */
    private static JsonNode wrapItems(JsonNode items) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.putObject("properties").set("[]", items);
        o.putArray("required").add("[]");
        return o;
    }

    private static List<JsonNode> alternatives(JsonNode root, JsonNode schema) {
        JsonNode resolved = resolve(root, schema);
        List<JsonNode> out = new ArrayList<>();
        for (String key : List.of("oneOf", "anyOf")) {
            resolved.path(key).forEach(alt -> out.addAll(alternatives(root, alt)));
        }
        if (out.isEmpty() || resolved.has("type") || resolved.has("properties")) {
            out.add(resolved);
        }
        return out;
    }

    private static JsonNode resolve(JsonNode root, JsonNode schema) {
        JsonNode current = schema;
        for (int hops = 0; current.has("$ref"); hops++) {
            String ref = current.get("$ref").asText();
            if (!ref.startsWith("#/") || hops > 10) {
                throw new IllegalArgumentException("only local $refs are supported: " + ref);
            }
            current = root.at(ref.substring(1));
            if (current.isMissingNode()) {
                throw new IllegalArgumentException("unresolved $ref " + ref);
            }
        }
        return current;
    }

    static Set<String> strings(JsonNode node) {
        Set<String> out = new TreeSet<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.isTextual() ? n.asText() : n.toString()));
        } else if (node.isTextual()) {
            out.add(node.asText());
        }
        return out;
    }
}
