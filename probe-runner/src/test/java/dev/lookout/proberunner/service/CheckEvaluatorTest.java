package dev.lookout.proberunner.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.networknt.schema.AbsoluteIri;

import org.junit.jupiter.api.Test;

import dev.lookout.proberunner.domain.ProbeCheck;

class CheckEvaluatorTest {

    private static Boolean pass(String type, Object value, String text) {
        return CheckEvaluator.evaluate(List.of(new ProbeCheck(type, value)), text).get(0).pass();
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
        assertEquals(true, CheckEvaluator.evaluate(List.of(new ProbeCheck("not_contains", "x"), new ProbeCheck("contains", "an")),
                "an answer").get(1).pass());
    }

    @Test
    void shouldNameInvalidChecks() {
        List<Map.Entry<Integer, String>> problems = CheckEvaluator.validate(List.of(
                new ProbeCheck("contains", "ok"),
                new ProbeCheck("regex", "([a-z"),
                new ProbeCheck("max-length", "ten"),
                new ProbeCheck("json-schema", Map.of("type", 12)),
                new ProbeCheck("shouts", "x"),
                new ProbeCheck("contains-any", List.of()),
                new ProbeCheck("not-regex", "fine.*")));
        assertEquals(List.of(1, 2, 3, 4, 5), problems.stream().map(Map.Entry::getKey).toList());
        assertTrue(problems.get(0).getValue().startsWith("invalid regex"), problems.get(0).getValue());
        assertTrue(problems.get(2).getValue().startsWith("invalid JSON schema"), problems.get(2).getValue());
        assertTrue(problems.get(3).getValue().contains("unknown check type 'shouts'"));
    }

    private static String problem(String type, Object value) {
        List<Map.Entry<Integer, String>> problems = CheckEvaluator.validate(List.of(new ProbeCheck(type, value)));
        return problems.isEmpty() ? null : problems.get(0).getValue();
    }

    @Test
    void shouldRunTheCatastrophicBacktrackingRegexInLinearTime() {
        // (.*a){5}x on 75 characters took seconds with java.util.regex, on 200 it would take hours; the bound below
        // is a failure bound, not a measurement
        String evil = "(.*a){5}x";
        assertNull(problem("regex", evil));
        String text = "a".repeat(5_000);
        assertEquals(false, assertTimeoutPreemptively(Duration.ofSeconds(30), () -> pass("regex", evil, text)));
        assertEquals(true, pass("not-regex", "(x+x+)+y", "x".repeat(5_000)));
        assertEquals(true, pass("regex", "(?i)AS SOON AS", "we will handle it as soon as possible"));
    }

    @Test
    void shouldRefuseBackreferencesAndLookaroundWithAClearMessage() {
        for (String regex : List.of("(a)\\1", "refund(?=ed)", "(?<!no )refund", "(?>a+)b")) {
            String p = problem("regex", regex);
            assertNotNull(p, regex);
            assertTrue(p.startsWith("invalid regex") && p.contains("RE2"), p);
        }
        // a stored check RE2 cannot compile is reported as not evaluated, never a worker crash
        assertNull(pass("regex", "(a)\\1", "aa"));
    }

    @Test
    void shouldReadAtMostTheCappedTextButCountTheWholeLength() {
        String longAnswer = "a".repeat(70_000) + "needle";
        assertEquals(false, pass("contains", "needle", longAnswer));
        assertEquals(false, pass("regex", "needle", longAnswer));
        assertEquals(true, CheckEvaluator.evaluate(List.of(new ProbeCheck("regex", "needle")), longAnswer, 80_000).get(0)
                .pass());
        assertEquals(true, pass("min-length", 70_006, longAnswer));
        assertEquals(false, pass("max-length", 65_536, longAnswer));
        String pair = "😀";
        assertEquals(2, CheckEvaluator.cap("ab" + pair, 3).length(), "never splits a surrogate pair");
    }

    @Test
    void shouldKeepTheRegexAndSchemaCachesBounded() {
        for (int i = 0; i < CheckEvaluator.CACHE_SIZE + 200; i++) {
            assertEquals(false, pass("regex", "x{" + i + "}y", "z"));
            assertEquals(true, pass("json-schema", Map.of("type", "integer", "minimum", -i), "3"));
        }
        assertTrue(CheckEvaluator.cachedEntries() <= 2 * CheckEvaluator.CACHE_SIZE,
                "cached: " + CheckEvaluator.cachedEntries());
    }

    @Test
    void shouldRefuseSchemasThatPointOutsideThemselves() {
        List<Object> hostile = List.of(
                Map.of("$ref", "http://127.0.0.1:9/schema.json"),
                Map.of("type", "object", "properties", Map.of("a", Map.of("$ref", "https://example.com/a.json#/x"))),
                Map.of("$ref", "file:///etc/passwd"),
                Map.of("$ref", "other.json"),
                Map.of("$schema", "http://127.0.0.1:9/meta"),
                Map.of("$id", "http://127.0.0.1:9/id", "type", "object"),
                Map.of("$defs", Map.of("a", Map.of("$dynamicRef", "http://127.0.0.1:9/d"))),
                Map.of("$schema", "http://json-schema.org/draft-04/schema#", "id", "http://127.0.0.1:9/x"),
                "{\"allOf\": [{\"$ref\": \"jar:file:/x.jar!/a\"}]}");
        for (Object schema : hostile) {
            String p = problem("json-schema", schema);
            assertNotNull(p, String.valueOf(schema));
            assertTrue(p.startsWith("invalid JSON schema") && (p.contains("$ref") || p.contains("$schema")
                    || p.contains("$id") || p.contains("$dynamicRef") || p.contains("'http")), p);
            assertNotNull(problem("is-json", schema), String.valueOf(schema));
        }
    }

    @Test
    void shouldAcceptLocalReferencesBundledDraftsAndLiteralData() {
        Map<String, Object> local = Map.of("$defs", Map.of("answer", Map.of("type", "string")), "type", "object",
                "properties", Map.of("answer", Map.of("$ref", "#/$defs/answer"),
                        "$ref", Map.of("const", Map.of("$ref", "http://not-a-reference.example"))));
        assertNull(problem("json-schema", local));
        assertEquals(true, pass("json-schema", local, "{\"answer\": \"42\"}"));
        assertEquals(false, pass("json-schema", local, "{\"answer\": 42}"));
        Map<String, Object> draft7 = Map.of("$schema", "http://json-schema.org/draft-07/schema#",
                "definitions", Map.of("n", Map.of("type", "number")), "items", Map.of("$ref", "#/definitions/n"));
        assertNull(problem("json-schema", draft7));
        assertEquals(true, pass("json-schema", draft7, "[1, 2.5]"));
        assertEquals(false, pass("json-schema", draft7, "[\"x\"]"));
        assertNull(problem("json-schema", Map.of("$ref", "https://json-schema.org/draft/2020-12/schema")));
    }

    @Test
    void shouldLoadOnlyBundledMetaSchemasThroughTheValidatorsLoader() {
        assertNotNull(SchemaGuard.LOADER.getSchema(AbsoluteIri.of("classpath:draft/2020-12/schema")));
        for (String iri : List.of("http://127.0.0.1:9/x", "https://example.com/s", "file:///etc/passwd",
                "classpath:application.properties", "classpath:draft/2020-12/../../application.properties",
                "jar:file:/x.jar!/a")) {
            assertThrows(RuntimeException.class, () -> SchemaGuard.LOADER.getSchema(AbsoluteIri.of(iri)), iri);
        }
    }
}
