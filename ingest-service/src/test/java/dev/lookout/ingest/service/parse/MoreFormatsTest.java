package dev.lookout.ingest.service.parse;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.Map;

import static dev.lookout.ingest.service.parse.TrainerStateParserTest.counts;
import static dev.lookout.ingest.service.parse.TrainerStateParserTest.fixture;
import static dev.lookout.ingest.service.parse.TrainerStateParserTest.text;
import static dev.lookout.ingest.service.parse.TrainerStateParserTest.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ms-swift, generic JSONL, CSV, W&B CSV, stdout text and TensorBoard event files. */
class MoreFormatsTest {

    static ParsedLog auto(String fixture) {
        return LogParsers.parse(fixture(fixture), null);
    }

    static ParsedLog auto(byte[] body) {
        return LogParsers.parse(new ByteArrayInputStream(body), null);
    }

    // ---- ms-swift

    @Test
    void shouldReadMsSwift2KeepingDuplicatesForTheStoreAndSkippingTheSummaryObject() {
        ParsedLog log = auto("swift_logging.jsonl");
        assertEquals(LogFormat.MS_SWIFT_JSONL, log.format());
        // duplicated rows are all parsed; the store counts them as duplicates
        assertEquals(Map.of("train/loss", 4L, "train/acc", 4L, "train/grad_norm", 4L, "train/learning_rate", 4L,
                "train/epoch", 4L, "eval/loss", 2L, "eval/acc", 2L), counts(log));
        assertEquals(2.2, value(log, "eval/loss", 5));
        assertEquals(2, log.skippedTotal());
        assertTrue(log.skipped().get(1).reason().contains("log_history"), log.skipped().toString());
        assertEquals(8, log.skipped().get(1).line());
        assertTrue(log.notes().get(0).contains("summary object"));
    }

    @Test
    void shouldReadMsSwift3StepsWrittenAsStepSlashMax() {
        ParsedLog log = auto("swift3_logging.jsonl");
        assertEquals(LogFormat.MS_SWIFT_JSONL, log.format());
        assertEquals(1.71, value(log, "train/loss", 20));
        assertEquals(1.62, value(log, "eval/loss", 20));
        assertEquals(17.9, value(log, "train/memory(GiB)", 20));
        assertTrue(log.points().stream().noneMatch(p -> p.name().contains("percentage") || p.name().contains("speed")));
    }

    @Test
    void shouldRefuseAMsSwiftStepThatIsNotANumber() {
        LogParseException e = assertThrows(LogParseException.class, () -> LogParsers.parse(
                text("{\"loss\": 1.0, \"global_step/max_steps\": \"one/438\"}\n"), null));
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("global_step/max_steps"));
    }

    // ---- generic JSONL

    @Test
    void shouldReadGenericJsonlWithAnyStepKey() {
        ParsedLog log = LogParsers.parse(text("""
                {"_step": 0, "train/loss": 2.5, "val/loss": 2.6, "_timestamp": 1700000000.5, "_runtime": 3}
                {"_step": 1, "train/loss": "2.25", "lr": 0.001, "note": "warmup"}
                {"train/loss": 1.0}
                """), null);
        assertEquals(LogFormat.JSONL, log.format());
        assertEquals(2.25, value(log, "train/loss", 1));
        assertEquals(2.6, value(log, "train/val/loss", 0));
        assertEquals(0.001, value(log, "train/learning_rate", 1));
        assertEquals(1, log.skippedTotal());
        assertTrue(log.skipped().get(0).reason().contains("without a step"));
    }

    @Test
    void shouldRefuseAJsonlWhoseFirstObjectHasNoStep() {
        LogParseException e = assertThrows(LogParseException.class, () -> LogParsers.parse(text("{\"loss\": 1.0}\n"), null));
        assertTrue(e.getMessage().contains("no step key"));
    }

    // ---- CSV

    @Test
    void shouldReadAGenericCsvWithEmptyCellsAndQuotedValues() {
        ParsedLog log = LogParsers.parse(text("step,loss,eval_loss,lr\r\n10,2.31,,1e-4\r\n20,\"2.05\",2.2,9e-5\r\n30,nan,,8e-5\r\n"), null);
        assertEquals(LogFormat.CSV, log.format());
        assertEquals(Map.of("train/loss", 3L, "eval/loss", 1L, "train/learning_rate", 3L), counts(log));
        assertTrue(Double.isNaN(value(log, "train/loss", 30)));
    }

    @Test
    void shouldReadTensorBoardCsvExportWallTime() {
        ParsedLog log = LogParsers.parse(text("Wall time,Step,Value\n1700000000.5,1,2.5\n1700000010.5,2,2.4\n"), null);
        assertEquals(2.4, value(log, "train/Value", 2));
        assertNotNull(log.points().get(0).wallTime());
    }

    @Test
    void shouldRefuseACsvWithoutAStepColumnNamingTheHeader() {
        LogParseException e = assertThrows(LogParseException.class,
                () -> LogParsers.parse(text("run_name,final_loss,val_loss\nbaseline,0.63,1.70\nablation,0.61,1.72\n"), null));
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("no step column") && e.getMessage().contains("run_name,final_loss,val_loss"), e.getMessage());
    }

    @Test
    void shouldSkipRowsOfTheWrongWidthAndNoteTextColumns() {
        ParsedLog log = LogParsers.parse(text("step,loss,tag\n1,2.0,a\n2,1.9\n3,1.8,b\n"), null);
        assertEquals(Map.of("train/loss", 2L), counts(log));
        assertEquals(3, log.skipped().get(0).line());
        assertTrue(log.notes().stream().anyMatch(n -> n.contains("holds text")));
    }

    @Test
    void shouldRefuseABrokenQuoteInCsv() {
        LogParseException e = assertThrows(LogParseException.class,
                () -> LogParsers.parse(text("step,loss\n1,\"2.0\n"), null));
        assertTrue(e.syntax());
        assertEquals(2, e.line());
    }

    // ---- W&B

    @Test
    void shouldReadEveryRunOfAMultiRunWandbExportSeparately() {
        ParsedLog log = auto("wandb_history_three_runs.csv");
        assertEquals(LogFormat.WANDB_CSV, log.format());
        assertTrue(log.points().isEmpty());
        assertEquals(java.util.List.of("char_to_token1729642919.4054031", "last_char1729630560.5729918",
                "token_to_char1729587337.8266432"), java.util.List.copyOf(log.runs().keySet()));
        assertEquals(java.util.List.of(0L, 1L, 3L, 200L),
                log.runs().get("char_to_token1729642919.4054031").stream().map(p -> p.step()).toList());
        assertEquals(java.util.List.of(0L, 2L, 200L),
                log.runs().get("token_to_char1729587337.8266432").stream().map(p -> p.step()).toList());
        assertEquals(11, log.size());
        assertTrue(log.notes().get(0).startsWith("3 W&B runs") && log.notes().get(0).contains("6 __MIN/__MAX"), log.notes().toString());
    }

    @Test
    void shouldReadOnlyTheChosenRunOfAMultiRunWandbExport() {
        ParsedLog log = LogParsers.parse(fixture("wandb_history_three_runs.csv"), null,
                new LogParsers.Options("token_to_char1729587337.8266432"));
        assertTrue(log.runs().isEmpty());
        assertEquals(Map.of("train/loss", 3L), counts(log));
        assertEquals(3.75, value(log, "train/loss", 200));
    }

    @Test
    void shouldImportTheChosenWandbRunIgnoringMinMaxAndEmptyCells() {
        ParsedLog log = LogParsers.parse(fixture("wandb_history_two_runs.csv"), null, new LogParsers.Options("lr1e-3"));
        assertEquals(LogFormat.WANDB_CSV, log.format());
        assertEquals(Map.of("train/loss", 4L, "train/val/loss", 2L), counts(log));
        assertEquals(5.51, value(log, "train/loss", 2));
        assertTrue(log.notes().get(0).contains("6 __MIN/__MAX columns ignored"), log.notes().toString());
    }

    @Test
    void shouldRefuseAnUnknownWandbRun() {
        LogParseException e = assertThrows(LogParseException.class,
                () -> LogParsers.parse(fixture("wandb_history_two_runs.csv"), null, new LogParsers.Options("nope")));
        assertEquals("wandbRun", e.field());
    }

    @Test
    void shouldImportASingleRunWandbExportWithoutAsking() {
        ParsedLog log = LogParsers.parse(text("\"Step\",\"run-a - train/loss\",\"run-a - train/loss__MIN\"\n\"0\",\"3.5\",\"3.5\"\n"), null);
        assertEquals(3.5, value(log, "train/loss", 0));
    }

    @Test
    void shouldRefuseAWandbRunsTableSayingItIsSummaryOnly() {
        LogParseException e = assertThrows(LogParseException.class, () -> auto("wandb_runs_table.csv"));
        assertTrue(e.getMessage().contains("runs-table") && e.getMessage().contains("no per-step history"), e.getMessage());
        assertTrue(!e.syntax());
    }

    // ---- text

    @Test
    void shouldReadHfPrintedDictsWithPythonLiteralsAndTqdmSteps() {
        ParsedLog log = auto("hf_stdout.txt");
        assertEquals(LogFormat.TEXT, log.format());
        assertEquals(2.31, value(log, "train/loss", 10));
        assertTrue(Double.isNaN(value(log, "train/grad_norm", 10)));
        assertEquals(1.85, value(log, "eval/loss", 20));
        assertEquals(Double.POSITIVE_INFINITY, value(log, "train/loss", 30));
        assertTrue(log.points().stream().noneMatch(p -> p.name().contains("runtime") || p.name().contains("flag")));
        assertEquals(6, log.skippedTotal());
        assertTrue(log.skipped().stream().anyMatch(s -> s.line() == 10 && s.reason().contains("traceback")), log.skipped().toString());
    }

    @Test
    void shouldNumberPrintedDictsWithoutAProgressBarAndSaySo() {
        ParsedLog log = LogParsers.parse(text("{'loss': 2.0, 'epoch': 0.1}\n{'loss': 1.5, 'epoch': 0.2}\n"
                + "{'eval_loss': 1.7, 'epoch': 0.2}\n{'train_runtime': 10.0, 'train_loss': 1.75}\n"), null);
        assertEquals(1.5, value(log, "train/loss", 2));
        assertEquals(1.7, value(log, "eval/loss", 2));
        assertTrue(log.notes().get(0).contains("not trainer steps"));
        assertTrue(log.skipped().get(0).reason().contains("summary"));
    }

    @Test
    void shouldReadNanoGptStdoutAndCountTheTraceback() {
        ParsedLog log = auto("nanogpt_stdout.txt");
        assertEquals(Map.of("train/loss", 4L, "eval/loss", 2L, "eval/train_loss", 2L), counts(log));
        assertEquals(2.441, value(log, "eval/loss", 200));
        assertEquals(2.4123, value(log, "train/loss", 200));
        assertEquals(6, log.skippedTotal());
        assertTrue(log.skipped().stream().filter(s -> s.reason().contains("traceback")).count() >= 3);
    }

    @Test
    void shouldReadKeyValueLines() {
        ParsedLog log = auto("kv_train.txt");
        assertEquals(2.31, value(log, "train/loss", 100));
        assertEquals(1e-4, value(log, "train/learning_rate", 100));
        assertEquals(0.9, value(log, "train/grad_norm", 200));
        assertEquals(1.98, value(log, "train/loss", 300));
        assertEquals(0.0, value(log, "train/epoch", 300));
        assertTrue(Double.isNaN(value(log, "train/loss", 400)));
        assertTrue(log.points().stream().noneMatch(p -> p.name().contains("time") || p.name().contains("ntokens")));
        assertEquals(2, log.skippedTotal());
    }

    @Test
    void shouldRefuseTextWithoutAnyMetricLine() {
        ParsedLog log = LogParsers.parse(text("hello\nworld, again\n"), null);
        assertTrue(log.points().isEmpty());
        assertEquals(2, log.skippedTotal());
    }

    @Test
    void shouldReadPythonDictLiterals() {
        var d = TextLogParser.PythonDict.parse("{'a': 1, 'b': 'x, y}', 'c': [1, 2], 'd': -inf, 'e': tensor(0.5), 'f': None}");
        assertNotNull(d);
        assertEquals(1.0, d.get("a"));
        assertEquals("x, y}", d.get("b"));
        assertEquals(Double.NEGATIVE_INFINITY, d.get("d"));
        assertEquals(0.5, d.get("e"));
        assertEquals(null, TextLogParser.PythonDict.parse("{'a': 1"));
    }

    // ---- TensorBoard

    @Test
    void shouldReadTfEventsScalarsFromSimpleValuesAndTensors() {
        byte[] file = TfEventsFixtures.file()
                .simple(10, "train/loss", 2.5f)
                .simple(10, "train/learning_rate", 1e-4f)
                .tensor(20, "train/loss", 2.25f)
                .histogram(20, "weights/layer0")
                .tensor(20, "eval/loss", 2.0f)
                .bytes();
        ParsedLog log = auto(file);
        assertEquals(LogFormat.TFEVENTS, log.format());
        assertEquals(Map.of("train/loss", 2L, "train/learning_rate", 1L, "eval/loss", 1L), counts(log));
        assertEquals(2.25, value(log, "train/loss", 20));
        assertEquals(2.0, value(log, "eval/loss", 20));
        assertNotNull(log.points().get(0).wallTime());
        assertTrue(log.notes().get(0).contains("1 non-scalar"));
    }

    @Test
    void shouldRefuseATfEventsRecordWithABadDataCrcNamingItsOffset() {
        byte[] file = TfEventsFixtures.file().simple(10, "train/loss", 2.5f).simple(20, "train/loss", 2.4f).bytes();
        int secondRecordStart = TfEventsFixtures.file().simple(10, "train/loss", 2.5f).bytes().length;
        file[secondRecordStart + 14] ^= 0x01; // a byte inside the third record's data
        LogParseException e = assertThrows(LogParseException.class, () -> auto(file));
        assertEquals(secondRecordStart, e.offset());
        assertTrue(e.syntax() && e.getMessage().contains("bad data CRC") && e.getMessage().contains("offset " + secondRecordStart));
    }

    @Test
    void shouldRefuseATruncatedTfEventsFile() {
        byte[] whole = TfEventsFixtures.file().simple(10, "train/loss", 2.5f).bytes();
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 3);
        LogParseException e = assertThrows(LogParseException.class, () -> auto(cut));
        assertTrue(e.getMessage().contains("ends inside"));
    }

    @Test
    void shouldRefuseABadLengthCrcWhenTheFormatIsForced() {
        byte[] file = TfEventsFixtures.file().bytes();
        file[9] ^= 0x10;
        LogParseException e = assertThrows(LogParseException.class,
                () -> LogParsers.parse(new ByteArrayInputStream(file), LogFormat.TFEVENTS));
        assertEquals(0, e.offset());
        assertTrue(e.getMessage().contains("bad length CRC"));
    }

    @Test
    void shouldComputeTheMaskedCrcOfTheTfRecordSpec() {
        // CRC32C("123456789") = 0xE3069283 (RFC 3720 check value); masked per TFRecord.
        int crc = 0xE3069283;
        int masked = ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
        assertEquals(masked, TfEventsParser.maskedCrc32c("123456789".getBytes(), 0, 9));
    }
}
