package dev.lookout.platform.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventEnvelopeTest {

    private static final Clock AT = Clock.fixed(Instant.parse("2026-03-01T10:15:30.123456789Z"), ZoneOffset.UTC);

    @Test
    void shouldLeadWithTheEnvelopeThenTheFieldsInTheirOrder() {
        UUID run = UUID.randomUUID();
        EventEnvelope e = EventEnvelope.of("run.created", 1, "demo",
                EventFields.of().with("runId", run).with("runName", "sft").with("suite", null), AT);

        assertEquals(List.of("eventId", "type", "version", "occurredAt", "project", "runId", "runName", "suite"),
                List.copyOf(e.body().keySet()));
        assertEquals(e.eventId().toString(), e.body().get("eventId"));
        assertEquals("run.created", e.body().get("type"));
        assertEquals(1, e.body().get("version"));
        assertEquals("demo", e.body().get("project"));
        assertEquals(run.toString(), e.body().get("runId"));
        assertTrue(e.body().containsKey("suite"));
        assertEquals(null, e.body().get("suite"));
    }

    @Test
    void shouldStampOccurredAtToTheMicrosecondInIso() {
        EventEnvelope e = EventEnvelope.of("alarm.raised", 2, "demo", Map.of(), AT);

        assertEquals(Instant.parse("2026-03-01T10:15:30.123456Z"), e.occurredAt());
        assertEquals("2026-03-01T10:15:30.123456Z", e.body().get("occurredAt"));
        assertEquals(2, e.version());
    }

    @Test
    void shouldGiveEveryEventItsOwnId() {
        EventEnvelope a = EventEnvelope.of("run.created", "demo", Map.of());
        EventEnvelope b = EventEnvelope.of("run.created", "demo", Map.of());

        assertNotEquals(a.eventId(), b.eventId());
        assertEquals(1, a.version());
    }

    @Test
    void shouldSerialiseNestedValuesAsPlainJson() throws Exception {
        UUID id = UUID.randomUUID();
        EventEnvelope e = EventEnvelope.of("checkpoint.registered", 1, "demo", EventFields.of()
                .with("step", 200L).with("target", EventFields.of().with("endpoint", "vllm").with("model", null))
                .with("ids", List.of(id, "x")).with("decided", true).with("winRate", 0.75), AT);

        JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(e.body()));

        assertEquals(10, json.size());
        assertEquals(200, json.path("step").asLong());
        assertEquals("vllm", json.path("target").path("endpoint").asText());
        assertTrue(json.path("target").path("model").isNull());
        assertEquals(2, json.path("ids").size());
        assertEquals(id.toString(), json.path("ids").path(0).asText());
        assertTrue(json.path("decided").asBoolean());
        assertEquals(0.75, json.path("winRate").asDouble());
    }

    @Test
    void shouldRefuseAFieldThatOverridesTheEnvelope() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EventEnvelope.of("run.created", "demo", Map.of("project", "other")));
        assertTrue(e.getMessage().contains("project"), e.getMessage());
    }

    @Test
    void shouldRefuseValuesThatAreNotPlainJson() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EventEnvelope.of("run.created",
                "demo", Map.of("target", Map.of("at", Instant.EPOCH))));
        assertTrue(e.getMessage().contains("target.at"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EventEnvelope.of(" ", "demo", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> EventEnvelope.of("run.created", 0, "demo", Map.of(), AT));
    }

    @Test
    void shouldNotLetTheBodyChangeAfterwards() {
        EventEnvelope e = EventEnvelope.of("run.created", "demo", EventFields.of().with("runName", "a"));

        assertThrows(UnsupportedOperationException.class, () -> e.body().put("runName", "b"));
        assertEquals("a", e.body().get("runName"));
    }
}
