package dev.lookout.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.QueryParam;

/**
 * Cross-service HTTP calls against the provider's own API description: for every method of every REST client a
 * service uses to call a sibling, the provider's OpenAPI document (written at build time to
 * {@code <service>/target/openapi/openapi.json}) must have the operation, every query parameter the client sends,
 * and every field the client's response record reads, with a compatible JSON type (nested records and lists too).
 * The services must be packaged first (the reactor does it; alone: package them, then run this test).
 */
class HttpContractsTest {

    /** REST client interface (in the consumer's jar, on this module's classpath) → provider service. */
    private static final Map<String, String> CLIENTS = Map.of(
            "dev.lookout.gateway.client.IngestClient", "ingest-service",
            "dev.lookout.gateway.client.ProbeRunnerClient", "probe-runner",
            "dev.lookout.gateway.client.ReviewClient", "review-service",
            "dev.lookout.ingest.client.ProbeRunnerRestClient", "probe-runner",
            "dev.lookout.review.client.ProbeRunnerApi", "probe-runner");

    /**
     * Operations whose provider declares no response schema (the resource returns a bare JAX-RS Response), so only
     * the operation and its parameters can be checked. Listed so that declaring one fails here until it is removed.
     */
    private static final Set<String> UNTYPED = Set.of(
            "ingest-service GET /api/runs/{}/checkpoints",
            "ingest-service GET /api/runs/{}/alarms",
            "review-service GET /api/verdicts");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path root;

    @BeforeAll
    static void findRepository() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("deploy/contracts"))) {
            dir = dir.getParent();
        }
        assertTrue(dir != null, "repository root not found above " + Path.of("").toAbsolutePath());
        root = dir;
    }

    @Test
    void everyClientCallMatchesTheProvidersApiDescription() throws Exception {
        List<String> problems = new ArrayList<>();
        Set<String> untyped = new TreeSet<>();
        int calls = 0;
        for (Map.Entry<String, String> client : CLIENTS.entrySet()) {
            Class<?> api = Class.forName(client.getKey());
            JsonNode doc = document(client.getValue());
            String base = path(api.getAnnotation(jakarta.ws.rs.Path.class));
            for (Method m : api.getMethods()) {
                if (m.getAnnotation(GET.class) == null) {
                    continue; // every cross-service call is a GET today; anything else would need its own check
                }
                calls++;
                String path = normalise(base + path(m.getAnnotation(jakarta.ws.rs.Path.class)));
                String where = client.getValue() + " GET " + path;
                String who = api.getSimpleName() + "." + m.getName();
                JsonNode operation = operation(doc, path);
                if (operation == null) {
                    problems.add(who + ": " + where + " does not exist");
                    continue;
                }
                checkQueryParameters(who, m, operation, problems);
                JsonNode schema = operation.path("responses").path("200").path("content")
                        .path("application/json").path("schema");
                if (schema.isMissingNode() || schema.isEmpty()) {
                    untyped.add(where);
                    continue;
                }
                compare(who, doc, responseType(m), schema, "", problems);
            }
        }
        assertEquals(16, calls, "REST client methods checked");
        assertEquals(List.of(), problems, String.join("\n", problems));
        assertEquals(UNTYPED, untyped, "operations without a declared response schema");
    }

    private static JsonNode document(String service) throws Exception {
        Path file = root.resolve(service).resolve("target/openapi/openapi.json");
        assertTrue(Files.exists(file), file + " missing: package " + service + " first");
        return JSON.readTree(file.toFile());
    }

    private static String path(jakarta.ws.rs.Path p) {
        return p == null ? "" : (p.value().startsWith("/") ? p.value() : "/" + p.value());
    }

    /** Path parameters by position only: {@code /api/runs/{run}} and {@code /api/runs/{id}} are the same path. */
    private static String normalise(String path) {
        return path.replaceAll("\\{[^}]+}", "{}").replaceAll("/+$", "");
    }

    private static JsonNode operation(JsonNode doc, String path) {
        for (var it = doc.path("paths").fields(); it.hasNext(); ) {
            var e = it.next();
            if (normalise(e.getKey()).equals(path) && e.getValue().has("get")) {
                return e.getValue().get("get");
            }
        }
        return null;
    }

    private static void checkQueryParameters(String who, Method m, JsonNode operation, List<String> problems) {
        Set<String> declared = new TreeSet<>();
        operation.path("parameters").forEach(p -> {
            if ("query".equals(p.path("in").asText())) {
                declared.add(p.path("name").asText());
            }
        });
        for (Parameter p : m.getParameters()) {
            QueryParam q = p.getAnnotation(QueryParam.class);
            if (q != null && !declared.contains(q.value())) {
                problems.add(who + ": query parameter " + q.value() + " is not one of the provider's " + declared);
            }
        }
    }

    /** The body type the client decodes: CompletionStage and Uni-like wrappers are unwrapped. */
    private static Type responseType(Method m) {
        Type t = m.getGenericReturnType();
        if (t instanceof ParameterizedType p && p.getRawType() == CompletionStage.class) {
            return p.getActualTypeArguments()[0];
        }
        return t;
    }

    /** Whether the provider's schema can fill the client's type; records field by field, lists item by item. */
    private static void compare(String who, JsonNode doc, Type type, JsonNode schema, String at,
                                List<String> problems) {
        JsonNode s = resolve(doc, schema);
        Class<?> raw = raw(type);
        if (raw == JsonNode.class || raw == Object.class || s.isEmpty()) {
            return; // the client takes anything here (or the provider does not say)
        }
        Set<String> types = types(doc, s);
        if (Collection.class.isAssignableFrom(raw)) {
            if (!types.contains("array")) {
                problems.add(who + ": " + at + " is a list for the client, " + types + " for the provider");
                return;
            }
            compare(who, doc, ((ParameterizedType) type).getActualTypeArguments()[0], s.path("items"), at + "[]",
                    problems);
        } else if (raw.isRecord()) {
            if (!types.contains("object")) {
                problems.add(who + ": " + at + " is an object for the client, " + types + " for the provider");
                return;
            }
            Map<String, JsonNode> properties = properties(doc, s);
            for (RecordComponent c : raw.getRecordComponents()) {
                JsonNode field = properties.get(c.getName());
                if (field == null) {
                    problems.add(who + ": reads " + at + "/" + c.getName() + ", which the provider does not declare"
                            + " (it has " + new TreeSet<>(properties.keySet()) + ")");
                } else {
                    compare(who, doc, c.getGenericType(), field, at + "/" + c.getName(), problems);
                }
            }
        } else {
            String expected = scalar(raw);
            boolean ok = types.contains(expected) || ("number".equals(expected) && types.contains("integer"));
            if (!ok) {
                problems.add(who + ": " + at + " is " + expected + " (" + raw.getSimpleName() + ") for the client, "
                        + types + " for the provider");
            }
        }
    }

    private static String scalar(Class<?> raw) {
        if (raw == String.class || raw == UUID.class || raw.isEnum() || Temporal.class.isAssignableFrom(raw)) {
            return "string";
        }
        if (raw == Long.class || raw == long.class || raw == Integer.class || raw == int.class) {
            return "integer";
        }
        if (raw == Double.class || raw == double.class || raw == Float.class || raw == float.class) {
            return "number";
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return "boolean";
        }
        if (Map.class.isAssignableFrom(raw)) {
            return "object";
        }
        throw new IllegalArgumentException("no JSON type known for " + raw);
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    /** JSON types of a schema, through $ref, allOf/oneOf/anyOf (OpenAPI 3.1 type arrays included). */
    private static Set<String> types(JsonNode doc, JsonNode schema) {
        Set<String> out = new TreeSet<>();
        JsonNode s = resolve(doc, schema);
        JsonNode type = s.path("type");
        if (type.isArray()) {
            type.forEach(t -> out.add(t.asText()));
        } else if (type.isTextual()) {
            out.add(type.asText());
        }
        if (s.has("properties")) {
            out.add("object");
        }
        for (String key : List.of("allOf", "oneOf", "anyOf")) {
            s.path(key).forEach(alt -> out.addAll(types(doc, alt)));
        }
        return out;
    }

    private static Map<String, JsonNode> properties(JsonNode doc, JsonNode schema) {
        Map<String, JsonNode> out = new java.util.TreeMap<>();
        JsonNode s = resolve(doc, schema);
        s.path("properties").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        for (String key : List.of("allOf", "oneOf", "anyOf")) {
            s.path(key).forEach(alt -> out.putAll(properties(doc, alt)));
        }
        return out;
    }

    private static JsonNode resolve(JsonNode doc, JsonNode schema) {
        JsonNode s = schema;
        for (int hops = 0; s.has("$ref") && hops < 20; hops++) {
            s = doc.at(s.get("$ref").asText().substring(1));
        }
        return s;
    }
}
