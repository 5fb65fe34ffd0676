package dev.lookout.proberunner.service;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.resource.ClasspathSchemaLoader;
import com.networknt.schema.resource.DisallowSchemaLoader;
import com.networknt.schema.resource.InputStreamSource;
import com.networknt.schema.resource.SchemaLoader;

/**
 * A user's JSON schema is validated with no I/O at all (pure). Two layers:
 * <ul>
 * <li>{@link #problem}: before a schema is compiled, refuses every {@code $ref} / {@code $dynamicRef} /
 * {@code $recursiveRef} that is not a local {@code #…} pointer or a bundled meta-schema, every {@code $schema} that is
 * not a bundled draft, and every {@code $id} (draft-04: {@code id}) that is not a plain {@code #anchor} — with a
 * sentence naming the keyword and value;</li>
 * <li>{@link #LOADER}: the only schema loader of the validator factory. It serves the meta-schemas bundled in the
 * validator's jar (draft-04/06/07, 2019-09, 2020-12 — {@code https://json-schema.org/…} is mapped to them) and
 * refuses everything else, so neither {@code http(s):} nor {@code file:} nor any other loader is ever reached
 * (a loader that answers or throws ends networknt's lookup before its default URL and class-path loaders).</li>
 * </ul>
 */
final class SchemaGuard {

    /** Where the validator jar keeps its meta-schemas (after the json-schema.org → classpath: mapping). */
    private static final Pattern BUNDLED_RESOURCE = Pattern
            .compile("draft-0[467]/schema|draft/(?:2019-09|2020-12)/(?:schema|meta/[a-z-]{1,32})");
    /** The json-schema.org addresses that name a bundled draft or vocabulary (https form, no trailing #). */
    private static final Pattern BUNDLED_IRI = Pattern.compile("https://json-schema.org/(?:"
            + BUNDLED_RESOURCE.pattern() + ")");
    private static final String DRAFT_04 = "https://json-schema.org/draft-04/schema";
    private static final Set<String> DATA_KEYWORDS = Set.of("const", "enum", "default", "examples");
    private static final Set<String> REF_KEYWORDS = Set.of("$ref", "$dynamicRef", "$recursiveRef");
    private static final SchemaLoader CLASSPATH = new ClasspathSchemaLoader();

    /** Bundled meta-schemas only; anything else throws (networknt's "is not allowed to be loaded"). */
    static final SchemaLoader LOADER = SchemaGuard::load;

    private SchemaGuard() {
    }

    private static InputStreamSource load(AbsoluteIri iri) {
        String s = iri == null ? "" : iri.toString();
        if (s.startsWith("classpath:") && BUNDLED_RESOURCE.matcher(s.substring("classpath:".length())).matches()) {
            return CLASSPATH.getSchema(iri);
        }
        return DisallowSchemaLoader.getInstance().getSchema(iri);
    }

    /** Why the schema would need something beyond itself and the bundled meta-schemas, or null when it does not. */
    static String problem(JsonNode schema) {
        boolean draft04 = schema.isObject() && schema.path("$schema").isTextual()
                && DRAFT_04.equals(normalise(schema.path("$schema").asText()));
        return walk(schema, "", draft04);
    }

    private static String walk(JsonNode node, String path, boolean draft04) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String p = walk(node.get(i), path + "/" + i, draft04);
                if (p != null) {
                    return p;
                }
            }
            return null;
        }
        if (!node.isObject()) {
            return null;
        }
        String own = own(node, path, draft04);
        if (own != null) {
            return own;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            if (DATA_KEYWORDS.contains(field.getKey())) {
                continue; // literal data, never resolved
            }
            String p = walk(field.getValue(), path + "/" + field.getKey(), draft04);
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    /** The keywords of one schema object that could name another document. */
    private static String own(JsonNode node, String path, boolean draft04) {
        String at = path.isEmpty() ? "" : " at " + path;
        for (String keyword : REF_KEYWORDS) {
            JsonNode ref = node.get(keyword);
            if (ref != null && ref.isTextual() && !ref.asText().startsWith("#")
                    && !BUNDLED_IRI.matcher(normalise(ref.asText())).matches()) {
                return keyword + " '" + ref.asText() + "'" + at + " points outside the schema: only local '#…' "
                        + "references (and the bundled json-schema.org meta-schemas) are allowed; nothing is fetched";
            }
        }
        JsonNode meta = node.get("$schema");
        if (meta != null && meta.isTextual() && !BUNDLED_IRI.matcher(normalise(meta.asText())).matches()) {
            return "$schema '" + meta.asText() + "'" + at + " is not a supported draft: use "
                    + "https://json-schema.org/draft/2020-12/schema (or 2019-09, draft-07/06/04); nothing is fetched";
        }
        for (String keyword : draft04 ? new String[] { "$id", "id" } : new String[] { "$id" }) {
            JsonNode id = node.get(keyword);
            if (id != null && id.isTextual() && !id.asText().startsWith("#")) {
                return keyword + " '" + id.asText() + "'" + at + " is not allowed: a check's schema stands alone "
                        + "(drop " + keyword + "; use $defs with '#/$defs/…' references)";
            }
        }
        return null;
    }

    /** https form without a trailing '#', lower-cased scheme and host part. */
    private static String normalise(String iri) {
        String s = iri.strip();
        if (s.endsWith("#")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.regionMatches(true, 0, "http://json-schema.org/", 0, "http://json-schema.org/".length())) {
            s = "https://json-schema.org/" + s.substring("http://json-schema.org/".length());
        } else if (s.regionMatches(true, 0, "https://json-schema.org/", 0, "https://json-schema.org/".length())) {
            s = "https://json-schema.org/" + s.substring("https://json-schema.org/".length());
        }
        return s.toLowerCase(Locale.ROOT).startsWith("https://json-schema.org/") ? s : iri.strip();
    }
}
