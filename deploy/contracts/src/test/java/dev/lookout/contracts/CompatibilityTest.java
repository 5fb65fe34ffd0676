package dev.lookout.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rule checker on pairs of schemas (published, next). */
class CompatibilityTest {

    private static final String TARGET = """
            "$defs": {"target": {"type": "object", "properties": {"endpoint": {"type": "string"},
              "model": {"type": "string"}}, "required": ["endpoint", "model"], "additionalProperties": false}}""";

    /** A small event schema: required id (uuid) and step, optional label, nullable target, severity enum. */
    private static final String PUBLISHED = """
            {"type": "object", "properties": {
              "id": {"type": "string", "format": "uuid", "description": "the id"},
              "step": {"type": "integer"},
              "label": {"type": ["string", "null"]},
              "severity": {"type": "string", "enum": ["warning", "critical"]},
              "target": {"oneOf": [{"$ref": "#/$defs/target"}, {"type": "null"}]}},
             "required": ["id", "step", "severity", "target"], "additionalProperties": false,
            """ + TARGET + "}";

    private static List<String> breaks(String published, String next) {
        return Compatibility.breaks(SchemaSurface.of(json(published)), SchemaSurface.of(json(next)));
    }

    private static JsonNode json(String text) {
        return EventContracts.parse(text);
    }

    private static String change(String from, String to) {
        assertTrue(PUBLISHED.contains(from), from);
        return PUBLISHED.replace(from, to);
    }

    @Test
    void shouldAcceptTheSameSchemaAndNewDescriptions() {
        assertEquals(List.of(), breaks(PUBLISHED, PUBLISHED));
        String described = change("\"the id\"", "\"the event's id\"");
        assertEquals(List.of(), breaks(PUBLISHED, described));
        assertNotEquals(SchemasLock.hash(json(PUBLISHED)), SchemasLock.hash(json(described)),
                "a description change is compatible but still changes the locked hash");
    }

    @Test
    void shouldAcceptANewOptionalField() {
        assertEquals(List.of(), breaks(PUBLISHED, change("\"step\": {\"type\": \"integer\"},",
                "\"step\": {\"type\": \"integer\"}, \"adapter\": {\"type\": [\"string\", \"null\"]},")));
    }

    @Test
    void shouldRejectARemovedRequiredField() {
        String next = change("\"step\": {\"type\": \"integer\"},", "").replace("\"id\", \"step\",", "\"id\",");
        assertEquals(List.of("field /step was removed (or renamed)"), breaks(PUBLISHED, next));
    }

    @Test
    void shouldRejectARenamedField() {
        String next = change("\"step\": {\"type\": \"integer\"},", "\"trainingStep\": {\"type\": \"integer\"},")
                .replace("\"id\", \"step\",", "\"id\", \"trainingStep\",");
        assertEquals(List.of("field /step was removed (or renamed)",
                "new field /trainingStep is required (add it as optional, or make a new version)"), breaks(PUBLISHED, next));
    }

    @Test
    void shouldRejectARemovedOptionalField() {
        assertEquals(List.of("field /label was removed (or renamed)"),
                breaks(PUBLISHED, change("\"label\": {\"type\": [\"string\", \"null\"]},", "")));
    }

    @Test
    void shouldRejectChangedTypesIncludingNewNulls() {
        assertEquals(List.of("field /step changed type from [integer] to [string]"),
                breaks(PUBLISHED, change("\"step\": {\"type\": \"integer\"}", "\"step\": {\"type\": \"string\"}")));
        assertEquals(List.of("field /step changed type from [integer] to [integer, null]"), breaks(PUBLISHED,
                change("\"step\": {\"type\": \"integer\"}", "\"step\": {\"type\": [\"integer\", \"null\"]}")));
        assertEquals(List.of("field /id changed format from uuid to null"),
                breaks(PUBLISHED, change("\"format\": \"uuid\", ", "")));
    }

    @Test
    void shouldRejectANewRequiredFieldAndChangedRequiredness() {
        String withRequiredAdapter = change("\"step\": {\"type\": \"integer\"},",
                "\"step\": {\"type\": \"integer\"}, \"adapter\": {\"type\": \"string\"},")
                .replace("\"required\": [\"id\",", "\"required\": [\"adapter\", \"id\",");
        assertEquals(List.of("new field /adapter is required (add it as optional, or make a new version)"),
                breaks(PUBLISHED, withRequiredAdapter));
        assertEquals(List.of("field /label became required"),
                breaks(PUBLISHED, change("\"required\": [\"id\",", "\"required\": [\"label\", \"id\",")));
        assertEquals(List.of("field /step is no longer required"),
                breaks(PUBLISHED, change("\"required\": [\"id\", \"step\",", "\"required\": [\"id\",")));
    }

    @Test
    void shouldFollowRefsIntoNestedObjects() {
        String next = PUBLISHED.replace("\"model\": {\"type\": \"string\"}}, \"required\": [\"endpoint\", \"model\"]",
                "\"modelName\": {\"type\": \"string\"}}, \"required\": [\"endpoint\", \"modelName\"]");
        assertNotEquals(PUBLISHED, next);
        assertEquals(List.of("field /target/model was removed (or renamed)",
                "new field /target/modelName is required (add it as optional, or make a new version)"),
                breaks(PUBLISHED, next));
        assertEquals(List.of("field /target changed type from [null, object] to [object]"),
                breaks(PUBLISHED, change("{\"oneOf\": [{\"$ref\": \"#/$defs/target\"}, {\"type\": \"null\"}]}",
                        "{\"$ref\": \"#/$defs/target\"}")));
    }

    @Test
    void shouldAcceptRequiredFieldsInsideANewOptionalObject() {
        String next = change("\"step\": {\"type\": \"integer\"},", "\"step\": {\"type\": \"integer\"}, "
                + "\"adapter\": {\"type\": \"object\", \"properties\": {\"name\": {\"type\": \"string\"}},"
                + " \"required\": [\"name\"]},");
        assertEquals(List.of(), breaks(PUBLISHED, next));
    }

    @Test
    void shouldRejectNewEnumValuesButAcceptFewer() {
        assertEquals(List.of("field /severity has new values [info] that consumers do not expect"), breaks(PUBLISHED,
                change("[\"warning\", \"critical\"]", "[\"info\", \"warning\", \"critical\"]")));
        assertEquals(List.of(), breaks(PUBLISHED, change("[\"warning\", \"critical\"]", "[\"critical\"]")));
        assertEquals(List.of("field /severity is no longer restricted to [critical, warning]"),
                breaks(PUBLISHED, change(", \"enum\": [\"warning\", \"critical\"]", "")));
    }

    @Test
    void shouldRoundTripTheSurfaceThroughTheLockFormat() {
        SchemaSurface surface = SchemaSurface.of(json(PUBLISHED));
        assertEquals(surface, SchemaSurface.fromJson(surface.toJson(SchemasLock.MAPPER)));
        assertEquals(7, surface.fields().size(), surface.fields().keySet().toString());
    }

    @Test
    void shouldNameTheNextVersion() {
        assertEquals("alarm.raised.v2", SchemasLockTest.next("alarm.raised.v1"));
        assertEquals("probe-run.completed.v10", SchemasLockTest.next("probe-run.completed.v9"));
    }
}
