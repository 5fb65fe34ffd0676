package dev.lookout.ingest.service.parse;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.lookout.ingest.service.parse.TrainerStateParserTest.counts;
import static dev.lookout.ingest.service.parse.TrainerStateParserTest.fixture;
import static dev.lookout.ingest.service.parse.TrainerStateParserTest.text;
import static dev.lookout.ingest.service.parse.TrainerStateParserTest.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LlamaFactoryJsonlParserTest {

    @Test
    void shouldReadRowsWithNullsStringsAndBothLearningRateKeys() {
        ParsedLog log = new LlamaFactoryJsonlParser().parse(fixture("trainer_log_lf.jsonl"));
        assertEquals(Map.of("train/loss", 3L, "train/learning_rate", 3L, "train/epoch", 3L, "eval/loss", 1L,
                "train/accuracy", 1L), counts(log));
        assertEquals(1.726, value(log, "train/loss", 15));
        assertEquals(4.97e-05, value(log, "train/learning_rate", 15));
        assertEquals(1.6410622596740723, value(log, "eval/loss", 10));
        assertFalse(counts(log).containsKey("train/throughput"));
        assertEquals(1, log.skipped().size());
        assertEquals(6, log.skipped().get(0).line(), "the all-null last row is reported with its line");
    }

    @Test
    void shouldNameTheMalformedLine() {
        LogParseException e = assertThrows(LogParseException.class, () -> new LlamaFactoryJsonlParser().parse(
                text("{\"current_steps\": 1, \"loss\": 1.0}\n{\"current_steps\": 2, \"loss\": 0.9\n")));
        assertEquals(2, e.line());
        assertTrue(e.syntax());
    }

    @Test
    void shouldRejectAWrongTypeForLoss() {
        LogParseException e = assertThrows(LogParseException.class, () -> new LlamaFactoryJsonlParser().parse(
                text("{\"current_steps\": 1, \"loss\": [1.0]}\n")));
        assertEquals(1, e.line());
        assertFalse(e.syntax());
    }

    @Test
    void shouldRejectANonNumericStep() {
        LogParseException e = assertThrows(LogParseException.class, () -> new LlamaFactoryJsonlParser().parse(
                text("{\"current_steps\": \"1/438\", \"loss\": 1.0}\n")));
        assertTrue(e.getMessage().contains("current_steps"));
    }

    @Test
    void shouldAcceptNanWrittenAsString() {
        ParsedLog log = new LlamaFactoryJsonlParser().parse(text("{\"current_steps\": 3, \"loss\": \"nan\"}"));
        assertTrue(Double.isNaN(log.points().get(0).value()));
    }

    @Test
    void shouldRejectAnEmptyBody() {
        assertThrows(LogParseException.class, () -> new LlamaFactoryJsonlParser().parse(text("\n\n")));
    }
}
