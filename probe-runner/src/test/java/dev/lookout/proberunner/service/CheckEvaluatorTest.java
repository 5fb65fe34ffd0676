package dev.lookout.proberunner.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.lookout.proberunner.rest.Dtos.Check;

class CheckEvaluatorTest {

    private static Boolean pass(String type, Object value, String text) {
        return CheckEvaluator.evaluate(List.of(new Check(type, value)), text).get(0).pass();
    }

    @Test
    void shouldEvaluateTextChecksAndTheirNegations() {
        assertEquals(true, pass("contains", "refund", "Your refund is on its way."));
        assertEquals(false, pass("contains", "Refund", "Your refund is on its way."));
        assertEquals(true, pass("icontains", "REFUND", "Your refund is on its way."));
        assertEquals(true, pass("not-contains", "请您放心", "退款已经到账。"));
        assertEquals(false, pass("not-contains", "请您放心", "请您放心，退款已经到账。"));
        assertEquals(true, pass("contains-any", List.of("x", "on its"), "Your refund is on its way."));
        assertEquals(false, pass("contains-all", List.of("x", "on its"), "Your refund is on its way."));
        assertEquals(true, pass("equals", "Paris", "  Paris\n"));
        assertEquals(true, pass("starts-with", "您好", "\n您好！"));
        assertEquals(false, pass("not-starts-with", "您好", "您好！"));
        assertEquals(true, pass("regex", "\\d{3,}", "order 12345"));
        assertEquals(true, pass("not-regex", "(?i)as soon as possible", "We will do it tomorrow."));
        assertEquals(true, pass("one-of", List.of("yes", "no"), " no "));
        assertEquals(false, pass("one-of", List.of("yes", "no"), "maybe"));
    }

    @Test
    void shouldCountACjkCharacterAsOne() {
        assertEquals(true, pass("max-length", 4, "请您放心"));
        assertEquals(false, pass("max-length", 3, "请您放心"));
        assertEquals(true, pass("min-length", 4, "请您放心"));
        assertEquals(true, pass("max-length", 2, "😀😀"));
    }

    @Test
    void shouldCheckJsonAndJsonSchema() {
        Map<String, Object> schema = Map.of("type", "object", "required", List.of("answer"),
                "properties", Map.of("answer", Map.of("type", "string")));
        assertEquals(true, pass("is-json", null, "{\"answer\": \"42\"}"));
        assertEquals(true, pass("is-json", null, "```json\n{\"answer\": \"42\"}\n```"));
        assertEquals(false, pass("is-json", null, "answer: 42"));
        assertEquals(true, pass("not-is-json", null, "answer: 42"));
        assertEquals(true, pass("json-schema", schema, "{\"answer\": \"42\"}"));
        assertEquals(false, pass("json-schema", schema, "{\"answer\": 42}"));
        assertEquals(false, pass("json-schema", schema, "not json"));
        assertEquals(true, pass("json-schema", "{\"type\": \"array\"}", "[1, 2]"));
        assertEquals(false, pass("is-json", schema, "{}"));
    }

    @Test
    void shouldFailEveryCheckOfAMissingAnswerAndNeverEvaluateModelGradedOnes() {
        assertEquals(false, pass("not-contains", "x", null));
        assertNull(pass("model-graded", Map.of("type", "llm-rubric", "value", "is polite"), "hi"));
    }

    @Test
    void shouldLeaveAStoredCheckOfAnUnknownTypeUnevaluatedInsteadOfFailingTheComparison() {
        // suite versions stored before checks were validated may hold such types (e.g. not_contains)
        assertNull(pass("not_contains", "x", "an answer"));
        assertNull(pass("shouts", "x", "an answer"));
        assertEquals(true, CheckEvaluator.evaluate(List.of(new Check("not_contains", "x"), new Check("contains", "an")),
                "an answer").get(1).pass());
    }

    @Test
    void shouldNameInvalidChecks() {
        List<Map.Entry<Integer, String>> problems = CheckEvaluator.validate(List.of(
                new Check("contains", "ok"),
                new Check("regex", "([a-z"),
                new Check("max-length", "ten"),
                new Check("json-schema", Map.of("type", 12)),
                new Check("shouts", "x"),
                new Check("contains-any", List.of()),
                new Check("not-regex", "fine.*")));
        assertEquals(List.of(1, 2, 3, 4, 5), problems.stream().map(Map.Entry::getKey).toList());
        assertTrue(problems.get(0).getValue().startsWith("invalid regex"), problems.get(0).getValue());
        assertTrue(problems.get(2).getValue().startsWith("invalid JSON schema"), problems.get(2).getValue());
        assertTrue(problems.get(3).getValue().contains("unknown check type 'shouts'"));
    }
}
