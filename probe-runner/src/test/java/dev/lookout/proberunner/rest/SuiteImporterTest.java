package dev.lookout.proberunner.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lookout.proberunner.domain.Probe;
import dev.lookout.proberunner.service.BadInputException;
import dev.lookout.proberunner.service.CheckEvaluator;
import dev.lookout.proberunner.service.PredictionImport;

class SuiteImporterTest {

    private final ObjectMapper json = new ObjectMapper();
    private final SuiteImporter importer = new SuiteImporter(json);

    static String fixture(String name) throws IOException {
        try (InputStream in = SuiteImporterTest.class.getResourceAsStream("/imports/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldImportPromptfooPromptsTimesTestsWithVarsAndChecks() throws IOException {
        List<ProbeDto> probes = importer.parse("promptfoo", fixture("promptfooconfig.yaml"));
        assertEquals(List.of("t1-p1", "t1-p2", "t2-p1", "t2-p2"), probes.stream().map(ProbeDto::id).toList());
        assertEquals("Answer the customer Bob: Where is my refund?", probes.get(0).messages().get(0).content());
        // defaultTest var used when the test has none
        assertEquals("Answer the customer there: 我的订单什么时候发货？", probes.get(2).messages().get(0).content());
        // a JSON chat prompt becomes messages
        assertEquals("system", probes.get(1).messages().get(0).role());
        assertEquals("Where is my refund?", probes.get(1).messages().get(1).content());
        // defaultTest asserts first, then the test's; contains-any "a, b" split; model-graded kept, not evaluated
        assertEquals(List.of("model-graded", "not-icontains", "contains-any", "regex"),
                probes.get(0).checks().stream().map(c -> c.type()).toList());
        assertEquals(List.of("refund", "money"), probes.get(0).checks().get(2).value());
        assertEquals(List.of("promptfoo", "assert:llm-rubric"), probes.get(0).tags());
        assertEquals(List.of("promptfoo", "zh", "assert:llm-rubric", "assert:javascript"), probes.get(2).tags());
        assertTrue(CheckEvaluator.validate(ProbeMapper.toDomain(probes.get(2)).checks()).isEmpty());
        var results = CheckEvaluator.evaluate(ProbeMapper.toDomain(probes.get(0)).checks(), "Your refund arrives in 5 business days.");
        assertEquals(java.util.Arrays.asList(null, true, true, true), results.stream().map(r -> r.pass()).toList());
    }

    @Test
    void shouldRefuseFileReferencesInPromptfoo() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> importer.parse("promptfoo", "prompts:\n  - file://prompts.txt\ntests: []\n"));
        assertEquals("prompts", e.problems().get(0).field());
    }

    @Test
    void shouldImportJsonlPromptsAndMessages() throws IOException {
        List<ProbeDto> probes = importer.parse("jsonl", fixture("prompts.jsonl"));
        assertEquals(List.of("line-1", "zh-1"), probes.stream().map(ProbeDto::id).toList());
        assertEquals("user", probes.get(0).messages().get(0).role());
        assertEquals(List.of("facts"), probes.get(0).tags());
        assertEquals("max-length", probes.get(0).checks().get(0).type());
        assertEquals(2, probes.get(1).messages().size());
        BadInputException e = assertThrows(BadInputException.class,
                () -> importer.parse("jsonl", "{\"prompt\": \"ok\"}\n{\"text\": 1}\n"));
        assertEquals("line 2", e.problems().get(0).field());
        assertEquals(400, e.status());
    }

    @Test
    void shouldImportMtBenchWithTheSecondTurnAsAFollowUp() throws IOException {
        List<ProbeDto> probes = importer.parse("mt-bench", fixture("mt_bench.jsonl"));
        assertEquals(List.of("mt-81", "mt-111"), probes.stream().map(ProbeDto::id).toList());
        assertEquals(1, probes.get(0).messages().size());
        assertEquals(List.of("Rewrite it so that every line starts with the letter A."), probes.get(0).followUps());
        assertEquals(List.of("writing"), probes.get(0).tags());
        assertEquals("130.33", probes.get(1).reference());
        assertNull(importer.parse("mt-bench", "{\"question_id\": 1, \"turns\": [\"one\"]}").get(0).followUps());
    }

    @Test
    void shouldMatchLlamaFactoryPredictionsToProbesByTheirLastUserMessage() throws IOException {
        List<Probe> probes = ProbeMapper.toDomain(importer.parse("jsonl", fixture("prompts.jsonl")));
        List<PredictionImport.Prediction> p = PredictionImport.match(json, fixture("generated_predictions.jsonl"), probes);
        assertEquals(List.of("line-1", "zh-1"), p.stream().map(PredictionImport.Prediction::probeId).toList());
        BadInputException e = assertThrows(BadInputException.class, () -> PredictionImport.match(json,
                "{\"prompt\": \"nothing like it\", \"predict\": \"x\"}", probes));
        assertEquals("line 1", e.problems().get(0).field());
        assertThrows(BadInputException.class, () -> PredictionImport.match(json,
                "{\"id\": \"zh-1\", \"predict\": \"a\"}\n{\"id\": \"zh-1\", \"predict\": \"b\"}", probes));
    }

    @Test
    void shouldRefuseUnknownFormats() {
        assertThrows(BadInputException.class, () -> importer.parse("csv", "a,b"));
    }
}
