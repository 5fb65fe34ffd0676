package dev.lookout.ingest.service.parse;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;

import static dev.lookout.ingest.service.parse.TrainerStateParserTest.fixture;
import static dev.lookout.ingest.service.parse.TrainerStateParserTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogParsersTest {

    @Test
    void shouldDetectPrettyPrintedTrainerState() {
        assertEquals(LogFormat.HF_TRAINER_STATE, LogParsers.parse(fixture("trainer_state_sft.json"), null).format());
    }

    @Test
    void shouldDetectSingleLineTrainerState() {
        assertEquals(LogFormat.HF_TRAINER_STATE, LogParsers.parse(fixture("trainer_state_dpo_nan.json"), null).format());
        assertEquals(LogFormat.HF_TRAINER_STATE,
                LogParsers.parse(text("{\"log_history\": [{\"loss\": 1, \"step\": 1}]}"), null).format());
    }

    @Test
    void shouldDetectLlamaFactoryJsonl() {
        assertEquals(LogFormat.LLAMAFACTORY_JSONL, LogParsers.parse(fixture("trainer_log_lf.jsonl"), null).format());
    }

    @Test
    void shouldRejectBinaryJunk() {
        byte[] junk = {0x1f, (byte) 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, (byte) 0xff, 0x03};
        LogParseException e = assertThrows(LogParseException.class,
                () -> LogParsers.parse(new ByteArrayInputStream(junk), null));
        assertTrue(e.getMessage().contains("unrecognised"));
    }

    @Test
    void shouldRejectAnEmptyBody() {
        LogParseException e = assertThrows(LogParseException.class, () -> LogParsers.parse(text(""), null));
        assertTrue(e.getMessage().contains("empty"));
    }

    @Test
    void shouldRejectAJsonObjectOfAnotherKind() {
        LogParseException e = assertThrows(LogParseException.class,
                () -> LogParsers.parse(text("{\"prompt\": \"hi\", \"predict\": \"hello\"}\n"), null));
        assertTrue(e.getMessage().contains("unrecognised"));
    }

    @Test
    void shouldHonourAnExplicitFormat() {
        assertThrows(LogParseException.class,
                () -> LogParsers.parse(fixture("trainer_state_sft.json"), LogFormat.LLAMAFACTORY_JSONL));
    }
}
