package dev.lookout.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The web UI's API types are generated from a committed snapshot of the gateway's merged OpenAPI document
 * ({@code gateway/src/main/webui/openapi/lookout-api.json}). This test fetches {@code /api/openapi} from the real stack
 * and fails when the snapshot no longer matches, naming the command that regenerates it. With
 * {@code -Dlookout.openapi.snapshot.write=true} it writes the snapshot instead.
 */
@ExtendWith(SystemExtension.class)
class OpenApiSnapshotIT {

    static final String SNAPSHOT = "gateway/src/main/webui/openapi/lookout-api.json";
    static final String REGENERATE = "./mvnw -B -ntp -o -pl deploy/system-tests verify -Dit.test=OpenApiSnapshotIT"
            + " -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dlookout.openapi.snapshot.write=true,"
            + " then `npm run gen:api` in gateway/src/main/webui";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Test
    void theUisApiSnapshotMatchesTheMergedDocument() throws IOException {
        String body = Api.gateway(Api.trainingJobToken()).when().get("/api/openapi")
                .then().statusCode(200).extract().asString();
        JsonNode live = canonical(JSON.readTree(body));
        assertTrue(live.path("paths").has("/api/rounds/{run}"), "the merged document has no round report path");
        assertTrue(live.path("info").path("description").asText().indexOf("INCOMPLETE") < 0,
                "a backend's document was missing: " + live.path("info").path("description").asText());
        Path snapshot = SystemUnderTest.get().repoFile(SNAPSHOT);
        if (Boolean.getBoolean("lookout.openapi.snapshot.write")) {
            Files.createDirectories(snapshot.getParent());
            Files.writeString(snapshot, JSON.writeValueAsString(live) + "\n", StandardCharsets.UTF_8);
        }
        assertTrue(Files.isRegularFile(snapshot), SNAPSHOT + " is missing: generate it with " + REGENERATE);
        JsonNode committed = JSON.readTree(Files.readString(snapshot, StandardCharsets.UTF_8));
        String where = firstDifference("", committed, live);
        assertNull(where, () -> SNAPSHOT + " differs from GET /api/openapi at " + where + ": regenerate with "
                + REGENERATE);
        assertEquals(committed, live);
    }

    @Test
    void theComparisonNamesWhereTheDocumentsDiffer() throws IOException {
        JsonNode a = JSON.readTree("{\"paths\":{\"/api/x\":{\"get\":{\"tags\":[\"a\"]}}}}");
        JsonNode b = JSON.readTree("{\"paths\":{\"/api/x\":{\"get\":{\"tags\":[\"b\"]}}}}");
        assertEquals("/paths/~1api~1x/get/tags/0", firstDifference("", a, b));
        assertNull(firstDifference("", a, a.deepCopy()));
        ObjectNode withServers = (ObjectNode) JSON.readTree(
                "{\"servers\":[{\"url\":\"http://x\"}],\"b\":1,\"a\":{\"d\":1,\"c\":2},\"components\":{"
                        + "\"securitySchemes\":{\"bearer\":{}},\"schemas\":{}}}");
        JsonNode canonical = canonical(withServers);
        assertNull(canonical.get("servers"));
        assertNull(canonical.path("components").get("securitySchemes"));
        assertNotNull(canonical.path("components").get("schemas"));
        assertEquals(List.of("a", "b", "components"), fieldNames(canonical));
        assertEquals(List.of("c", "d"), fieldNames(canonical.get("a")));
    }

    /**
     * The document less what depends on where the stack runs (the gateway's own URL in {@code servers}, the realm's
     * URLs in the security schemes), with object keys sorted so the committed file diffs well.
     */
    static JsonNode canonical(JsonNode doc) {
        ObjectNode copy = (ObjectNode) doc.deepCopy();
        copy.remove("servers");
        if (copy.get("components") instanceof ObjectNode components) {
            components.remove("securitySchemes");
        }
        return sorted(copy);
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> fields = new TreeMap<>();
            node.fields().forEachRemaining(e -> fields.put(e.getKey(), sorted(e.getValue())));
            ObjectNode out = JSON.createObjectNode();
            fields.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            node.forEach(n -> out.add(sorted(n)));
            return out;
        }
        return node;
    }

    /** JSON pointer of the first place where the two trees differ, or null when they are equal. */
    static String firstDifference(String at, JsonNode expected, JsonNode actual) {
        if (expected.equals(actual)) {
            return null;
        }
        if (expected.isObject() && actual.isObject()) {
            List<String> names = new ArrayList<>(fieldNames(expected));
            fieldNames(actual).stream().filter(n -> !names.contains(n)).forEach(names::add);
            for (String name : names) {
                String child = at + "/" + name.replace("~", "~0").replace("/", "~1");
                if (!expected.has(name) || !actual.has(name)) {
                    return child;
                }
                String inner = firstDifference(child, expected.get(name), actual.get(name));
                if (inner != null) {
                    return inner;
                }
            }
        }
        if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            for (int i = 0; i < expected.size(); i++) {
                String inner = firstDifference(at + "/" + i, expected.get(i), actual.get(i));
                if (inner != null) {
                    return inner;
                }
            }
        }
        return at.isEmpty() ? "/" : at;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }
}
