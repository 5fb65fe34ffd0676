package dev.lookout.ingest.service.parse;

import dev.lookout.ingest.service.MetricPoint;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerStateParserTest {

    static InputStream fixture(String name) {
        return TrainerStateParserTest.class.getResourceAsStream("/fixtures/" + name);
    }

    static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, Long> counts(ParsedLog log) {
        return log.points().stream().collect(Collectors.groupingBy(MetricPoint::name, Collectors.counting()));
    }

    static double value(ParsedLog log, String name, long step) {
        return log.points().stream().filter(p -> p.name().equals(name) && p.step() == step).findFirst().orElseThrow().value();
    }

    @Test
    void shouldReadTrainAndEvalRowsAndSkipTheSummaryRow() {
        ParsedLog log = new TrainerStateParser().parse(fixture("trainer_state_sft.json"));
        assertEquals(Map.of("train/loss", 4L, "train/grad_norm", 4L, "train/learning_rate", 4L, "train/epoch", 4L,
                "eval/loss", 1L), counts(log));
        assertEquals(2.05, value(log, "eval/loss", 20));
        assertEquals(0.9835, value(log, "train/loss", 40));
        assertEquals(1, log.skipped().size());
        assertTrue(log.skipped().get(0).reason().contains("summary"));
        assertTrue(log.skipped().get(0).line() > 40, "the summary row's line is reported");
    }

    @Test
    void shouldKeepBareNaNAndInfinityAndTrlKeys() {
        ParsedLog log = new TrainerStateParser().parse(fixture("trainer_state_dpo_nan.json"));
        assertTrue(Double.isNaN(value(log, "train/loss", 2)));
        assertEquals(Double.POSITIVE_INFINITY, value(log, "train/grad_norm", 2));
        assertEquals(0.0, value(log, "train/loss", 4));
        assertEquals(0.002, value(log, "train/rewards/margins", 1));
        assertEquals(-118.25, value(log, "train/logps/rejected", 1));
        assertEquals(0.75, value(log, "train/acc_0", 4));
        assertEquals(0.1, value(log, "eval/rewards/margins", 4));
        assertEquals(4e-6, value(log, "train/learning_rate", 4));
        assertFalse(counts(log).containsKey("train/remaining_time"));
        assertEquals(4, counts(log).get("train/epoch"), "an eval row's epoch is not stored twice");
    }

    @Test
    void shouldRejectTruncatedJsonWithItsLine() {
        LogParseException e = assertThrows(LogParseException.class,
                () -> new TrainerStateParser().parse(fixture("trainer_state_truncated.json")));
        assertTrue(e.syntax());
        assertEquals(4, e.line());
    }

    @Test
    void shouldRejectAKnownMetricOfTheWrongType() {
        LogParseException e = assertThrows(LogParseException.class,
                () -> new TrainerStateParser().parse(fixture("trainer_state_wrong_type.json")));
        assertFalse(e.syntax());
        assertEquals(4, e.line());
        assertTrue(e.getMessage().contains("loss"), e.getMessage());
    }

    @Test
    void shouldRejectLogHistoryThatIsNotAnArray() {
        LogParseException e = assertThrows(LogParseException.class,
                () -> new TrainerStateParser().parse(text("{\"log_history\": {\"loss\": 1}}")));
        assertTrue(e.getMessage().contains("not an array"));
    }

    @Test
    void shouldRejectAnObjectWithoutLogHistory() {
        LogParseException e = assertThrows(LogParseException.class,
                () -> new TrainerStateParser().parse(text("{\n\"epoch\": 1.0\n}")));
        assertTrue(e.getMessage().contains("log_history"));
    }

    @Test
    void shouldRejectAFractionalStep() {
        LogParseException e = assertThrows(LogParseException.class,
                () -> new TrainerStateParser().parse(text("{\"log_history\": [{\"loss\": 1, \"step\": 2.5}]}")));
        assertTrue(e.getMessage().contains("step"));
    }

    @Test
    void shouldRejectTrailingGarbage() {
        assertThrows(LogParseException.class,
                () -> new TrainerStateParser().parse(text("{\"log_history\": []} {\"x\": 1}")));
    }

    @Test
    void shouldSkipRowsWithoutStep() {
        ParsedLog log = new TrainerStateParser().parse(text("{\"log_history\": [{\"loss\": 1.5}, {\"loss\": 1.4, \"step\": 2}]}"));
        assertEquals(1, log.points().size());
        assertEquals(List.of("row without step"), log.skipped().stream().map(ParsedLog.Skipped::reason).toList());
    }

    @Test
    void shouldNormaliseNamesOnce() {
        ParsedLog log = new TrainerStateParser().parse(fixture("trainer_state_sft.json"));
        Map<String, MetricPoint> one = log.points().stream()
                .collect(Collectors.toMap(MetricPoint::name, Function.identity(), (a, b) -> a));
        assertTrue(one.keySet().stream().allMatch(n -> n.startsWith("train/") || n.startsWith("eval/")));
    }
}
