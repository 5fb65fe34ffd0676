package dev.lookout.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract files hold together: asyncapi.yaml, schemas and examples, read from the classpath as services do. */
class ContractsDocumentTest {

    private static final List<String> ENVELOPE = List.of("eventId", "type", "version", "occurredAt", "project");

    @Test
    void shouldListEveryEventOfTheThreeProducersWithASchemaFile() {
        List<EventContracts.Event> events = EventContracts.events();
        assertEquals(8, events.size(), events.toString());
        assertEquals(List.of("run.created", "checkpoint.registered", "alarm.raised"),
                EventContracts.typesOn("ingest.events"));
        assertEquals(List.of("probe-run.started", "probe-run.progressed", "probe-run.completed"),
                EventContracts.typesOn("probe-runner.events"));
        assertEquals(List.of("verdict.updated", "review-batch.opened"), EventContracts.typesOn("review.events"));
        Set<String> listed = new TreeSet<>();
        events.forEach(e -> listed.add(e.key() + ".schema.json"));
        assertEquals(listed, new TreeSet<>(EventContracts.list(EventContracts.ROOT + "events")),
                "every schema file is a message of asyncapi.yaml and the other way round");
        assertEquals("ingest.events", EventContracts.exchangeOf("checkpoint.registered"));
    }

    @Test
    void shouldHoldValidClosedSchemasWithTheSameEnvelope() {
        JsonSchema meta = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        JsonNode firstEnvelope = null;
        for (EventContracts.Event e : EventContracts.events()) {
            JsonNode schema = EventContracts.schemaDocument(e.type(), e.version());
            Set<ValidationMessage> problems = meta.validate(schema);
            assertTrue(problems.isEmpty(), e.key() + ": " + problems);
            assertEquals("https://json-schema.org/draft/2020-12/schema", schema.path("$schema").asText(), e.key());
            assertClosed(e.key(), schema, "");
            ObjectNode envelope = SchemasLock.MAPPER.createObjectNode();
            for (String field : ENVELOPE) {
                assertTrue(schema.path("required").toString().contains("\"" + field + "\""), e.key() + " " + field);
                envelope.set(field, schema.path("properties").path(field).deepCopy());
            }
            assertEquals(e.type(), envelope.path("type").path("const").asText(), e.key());
            assertEquals(e.version(), envelope.path("version").path("const").asInt(), e.key());
            ((ObjectNode) envelope.path("type")).remove("const");
            ((ObjectNode) envelope.path("version")).remove("const");
            if (firstEnvelope == null) {
                firstEnvelope = envelope;
            }
            assertEquals(firstEnvelope, envelope, e.key() + " declares the envelope fields like the others");
        }
    }

    /** additionalProperties false on every object with properties: producers send only declared fields. */
    private static void assertClosed(String key, JsonNode node, String at) {
        if (node.has("properties")) {
            assertFalse(node.path("additionalProperties").asBoolean(true), key + at + " must be closed");
        }
        node.fields().forEachRemaining(f -> {
            if (f.getValue().isContainerNode()) {
                assertClosed(key, f.getValue(), at + "/" + f.getKey());
            }
        });
        if (node.isArray()) {
            node.forEach(n -> assertClosed(key, n, at + "[]"));
        }
    }

    @Test
    void shouldHaveValidExamplesForEveryEvent() {
        List<String> checked = new ArrayList<>();
        for (EventContracts.Event e : EventContracts.events()) {
            Map<String, String> examples = EventContracts.examples(e.type(), e.version());
            assertFalse(examples.isEmpty(), e.key());
            examples.forEach((name, body) -> {
                assertEquals(List.of(), EventContracts.problems(body), e.key() + "/" + name);
                JsonNode event = EventContracts.parse(body);
                assertEquals(e.type(), event.path("type").asText());
                checked.add(e.key() + "/" + name);
            });
        }
        assertEquals(14, checked.size(), checked.toString());
    }

    @Test
    void shouldRejectEventsThatBreakTheirSchema() {
        String example = EventContracts.example("checkpoint.registered", 1, "with-suite");
        assertEquals(List.of(), EventContracts.problems(example));
        List<String> undeclared = EventContracts.problems(example.replace("\"step\"", "\"trainingStep\""));
        assertEquals(2, undeclared.size(), undeclared.toString());
        assertTrue(undeclared.stream().anyMatch(p -> p.contains("trainingStep")), undeclared.toString());
        assertTrue(undeclared.stream().anyMatch(p -> p.contains("step")), undeclared.toString());
        List<String> badId = EventContracts.problems(
                EventContracts.exampleWith("checkpoint.registered", 1, "with-suite", Map.of("checkpointId", "ckpt-400")));
        assertEquals(1, badId.size(), badId.toString());
        assertTrue(badId.get(0).contains("checkpointId"), badId.toString());
        assertEquals(1, EventContracts.problems("{\"type\": \"checkpoint.registered\", \"version\": 7}").size());
        assertThrows(AssertionError.class, () -> EventContracts.assertValid(
                EventContracts.exampleWith("alarm.raised", 1, "spike-warning", Map.of("severity", "fatal"))));
    }

    @Test
    void shouldOnlyReplaceFieldsTheExampleHas() {
        String changed = EventContracts.exampleWith("checkpoint.registered", 1, "with-suite",
                EventContracts.values("target.model", "m-1", "label", null));
        JsonNode event = EventContracts.parse(changed);
        assertEquals("m-1", event.path("target").path("model").asText());
        assertTrue(event.path("label").isNull());
        IllegalArgumentException renamed = assertThrows(IllegalArgumentException.class, () -> EventContracts
                .exampleWith("checkpoint.registered", 1, "with-suite", Map.of("target.modelName", "m-1")));
        assertTrue(renamed.getMessage().contains("has no field target.modelName"), renamed.getMessage());
    }
}
