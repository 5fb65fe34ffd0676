package dev.lookout.review.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.review.repository.ExportRepository;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Export rows against the real formats, field for field. The samples in src/test/resources/preference-formats are
 * copied (texts shortened) from shared/samples/preference_formats: LLaMA-Factory's dpo_zh_demo.json and its
 * dataset_info.json entry, and the conversational examples of TRL's dataset_formats.md.
 */
class ExportFormatsTest {

    private final ObjectMapper json = new ObjectMapper();
    private final ExportService service = new ExportService(null, null, json);

    private static final UUID RUN = UUID.fromString("11111111-2222-3333-4444-555555555555");

    /** Candidate on screen B; 2 of 3 reviewers picked B, one said TIE → candidate chosen. */
    private static ExportRepository.DecidedItem item(String messagesJson) {
        return new ExportRepository.DecidedItem(UUID.randomUUID(), UUID.randomUUID(), "probe-7", messagesJson,
                "baseline says 你好", "candidate says 您好", "B", RUN, UUID.randomUUID(), 400L, UUID.randomUUID(),
                new Target("ep", "ckpt-400"), new Target("ep", "base"), 0, 2, 1, 0);
    }

    private static final String MULTI_TURN = """
            [{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"},
             {"role":"assistant","content":"Hello!"},{"role":"user","content":"退货怎么办？"}]""";

    private JsonNode sample(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/preference-formats/" + name)) {
            return json.readTree(in);
        }
    }

    private JsonNode row(ExportService.Format format, String messages, int index) throws IOException {
        List<Map<String, Object>> rows = service.rows(format, item(messages));
        return json.valueToTree(rows.get(index));
    }

    private static Set<String> fields(JsonNode node) {
        Set<String> names = new HashSet<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    private static Set<String> without(Set<String> names, String... dropped) {
        Set<String> copy = new HashSet<>(names);
        List.of(dropped).forEach(copy::remove);
        return copy;
    }

    @Test
    void shouldMatchLlamaFactorySharegptPreferenceShape() throws IOException {
        JsonNode expected = sample("llamafactory-dpo_zh_demo.json").get(0);
        JsonNode ours = row(ExportService.Format.LLAMAFACTORY_SHAREGPT, "[{\"role\":\"user\",\"content\":\"退货怎么办？\"}]", 0);
        assertEquals(fields(expected), without(fields(ours), "metadata"));
        for (String side : List.of("chosen", "rejected")) {
            assertTrue(ours.get(side).isObject(), side + " is a single message, not a list");
            assertEquals(fields(expected.get(side)), fields(ours.get(side)));
            assertEquals(expected.get(side).get("from").asText(), ours.get(side).get("from").asText());
        }
        assertEquals(fields(expected.get("conversations").get(0)), fields(ours.get("conversations").get(0)));
        assertEquals("human", ours.get("conversations").get(0).get("from").asText());
        assertEquals("退货怎么办？", ours.get("conversations").get(0).get("value").asText());
        assertEquals("candidate says 您好", ours.get("chosen").get("value").asText());
        assertEquals("baseline says 你好", ours.get("rejected").get("value").asText());
        JsonNode meta = ours.get("metadata");
        assertEquals(RUN.toString(), meta.get("runId").asText());
        assertEquals(400, meta.get("step").asInt());
        assertEquals("candidate", meta.get("chosen").asText());
        assertEquals(2, meta.get("votes").get("candidate").asInt());
        assertEquals(0, meta.get("votes").get("baseline").asInt());
        assertEquals(1, meta.get("votes").get("tie").asInt());
        assertEquals("ckpt-400", meta.get("candidate").get("model").asText());
    }

    @Test
    void shouldMapMultiTurnConversationsToSharegptRoles() throws IOException {
        JsonNode conversations = row(ExportService.Format.LLAMAFACTORY_SHAREGPT, MULTI_TURN, 0).get("conversations");
        assertEquals(4, conversations.size());
        // a leading "system" turn is LLaMA-Factory's system prompt; then human/gpt alternate and a human turn ends it
        assertEquals(List.of("system", "human", "gpt", "human"),
                List.of(conversations.get(0).get("from").asText(), conversations.get(1).get("from").asText(),
                        conversations.get(2).get("from").asText(), conversations.get(3).get("from").asText()));
    }

    @Test
    void shouldMatchTheDatasetInfoEntryOfTheSample() throws IOException {
        JsonNode expected = sample("llamafactory-dataset_info-dpo.json").get("dpo_zh_demo");
        JsonNode ours = json.valueToTree(ExportService.datasetInfoEntry(RUN, ExportService.Format.LLAMAFACTORY_SHAREGPT));
        assertEquals(fields(expected), fields(ours));
        assertEquals(expected.get("ranking"), ours.get("ranking"));
        assertEquals(expected.get("formatting"), ours.get("formatting"));
        assertEquals(expected.get("columns"), ours.get("columns"));
        assertEquals("lookout-" + RUN + "-llamafactory-sharegpt.json", ours.get("file_name").asText());
    }

    @Test
    void shouldMatchLlamaFactoryAlpacaPreferenceShape() throws IOException {
        JsonNode shapes = sample("trl-and-alpaca-shapes.json");
        JsonNode expected = shapes.get("llamafactory_alpaca_preference");
        JsonNode ours = row(ExportService.Format.LLAMAFACTORY_ALPACA, MULTI_TURN, 0);
        Set<String> optional = new HashSet<>();
        shapes.get("llamafactory_alpaca_optional_columns").forEach(n -> optional.add(n.asText()));
        assertEquals(fields(expected), without(fields(ours), "metadata", "system", "history"));
        assertTrue(optional.containsAll(Set.of("system", "history")));
        assertEquals("退货怎么办？", ours.get("instruction").asText());
        assertEquals("", ours.get("input").asText());
        assertEquals("candidate says 您好", ours.get("chosen").asText());
        assertEquals("Be brief.", ours.get("system").asText());
        assertEquals("[[\"Hi\",\"Hello!\"]]", ours.get("history").toString());
        JsonNode info = json.valueToTree(ExportService.datasetInfoEntry(RUN, ExportService.Format.LLAMAFACTORY_ALPACA));
        assertEquals("instruction", info.get("columns").get("prompt").asText());
        assertEquals("input", info.get("columns").get("query").asText());
        assertTrue(info.get("ranking").asBoolean());
    }

    @Test
    void shouldMatchTrlConversationalPreferenceShape() throws IOException {
        JsonNode expected = sample("trl-and-alpaca-shapes.json").get("preference");
        JsonNode ours = row(ExportService.Format.TRL, MULTI_TURN, 0);
        assertEquals(fields(expected), without(fields(ours), "metadata"));
        for (String column : List.of("prompt", "chosen", "rejected")) {
            assertTrue(ours.get(column).isArray());
            assertEquals(fields(expected.get(column).get(0)), fields(ours.get(column).get(0)));
        }
        assertEquals(4, ours.get("prompt").size());
        assertEquals("system", ours.get("prompt").get(0).get("role").asText());
        assertEquals(1, ours.get("chosen").size());
        assertEquals("assistant", ours.get("chosen").get(0).get("role").asText());
        assertEquals("candidate says 您好", ours.get("chosen").get(0).get("content").asText());
        assertEquals("baseline says 你好", ours.get("rejected").get(0).get("content").asText());
    }

    @Test
    void shouldWriteBothSidesAsUnpairedPreferencesForKto() throws IOException {
        JsonNode expected = sample("trl-and-alpaca-shapes.json").get("unpaired_preference");
        List<Map<String, Object>> rows = service.rows(ExportService.Format.KTO, item("[{\"role\":\"user\",\"content\":\"q\"}]"));
        assertEquals(2, rows.size());
        JsonNode good = json.valueToTree(rows.get(0));
        JsonNode bad = json.valueToTree(rows.get(1));
        for (JsonNode ours : List.of(good, bad)) {
            assertEquals(fields(expected), without(fields(ours), "metadata"));
            assertTrue(ours.get("label").isBoolean());
            assertEquals(fields(expected.get("completion").get(0)), fields(ours.get("completion").get(0)));
        }
        assertTrue(good.get("label").asBoolean());
        assertEquals("candidate says 您好", good.get("completion").get(0).get("content").asText());
        assertEquals("candidate", good.get("metadata").get("completion").asText());
        assertEquals(false, bad.get("label").asBoolean());
        assertEquals("baseline says 你好", bad.get("completion").get(0).get("content").asText());
    }

    @Test
    void shouldChooseTheBaselineWhenItWins() throws IOException {
        ExportRepository.DecidedItem lost = new ExportRepository.DecidedItem(UUID.randomUUID(), UUID.randomUUID(), "p",
                "[{\"role\":\"user\",\"content\":\"q\"}]", "cand A", "base B", "A", RUN, null, null, UUID.randomUUID(),
                new Target("ep", "ckpt"), new Target("ep", "base"), 1, 3, 0, 1);
        JsonNode ours = json.valueToTree(service.rows(ExportService.Format.TRL, lost).get(0));
        assertEquals("base B", ours.get("chosen").get(0).get("content").asText());
        assertEquals("baseline", ours.get("metadata").get("chosen").asText());
        assertEquals(3, ours.get("metadata").get("votes").get("baseline").asInt());
        assertEquals(1, ours.get("metadata").get("votes").get("bothBad").asInt());
    }
}
