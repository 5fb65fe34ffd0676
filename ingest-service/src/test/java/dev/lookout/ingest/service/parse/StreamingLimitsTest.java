package dev.lookout.ingest.service.parse;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsers hold one line or record at a time, however large the file, and refuse a line over the cap naming it. */
class StreamingLimitsTest {

    /** A body produced line by line as it is read: never held whole, so memory cannot depend on its size. */
    static InputStream generated(String header, int rows, IntFunction<String> row) {
        return new InputStream() {
            private byte[] current = header.getBytes(StandardCharsets.UTF_8);
            private int pos;
            private int next;

            @Override
            public int read() {
                while (pos == current.length) {
                    if (next == rows) {
                        return -1;
                    }
                    current = row.apply(next++).getBytes(StandardCharsets.UTF_8);
                    pos = 0;
                }
                return current[pos++] & 0xff;
            }
        };
    }

    static final String[] RUNS = {"run-a", "run-b", "run-c"};

    @Test
    void shouldStreamAMultiRunWandbExportRunByRunWithoutKeepingItsPoints() {
        int rows = 300_000; // about 60 MB of CSV: 2.7 million points if they were kept
        StringBuilder header = new StringBuilder("\"Step\"");
        for (String r : RUNS) {
            header.append(",\"").append(r).append(" - train/loss\",\"").append(r).append(" - train/loss__MIN\",\"")
                    .append(r).append(" - eval/loss\"");
        }
        InputStream body = generated(header.append('\n').toString(), rows, i -> {
            StringBuilder sb = new StringBuilder("\"").append(i).append('"');
            for (int r = 0; r < RUNS.length; r++) {
                String loss = r == 2 && i % 2 == 1 ? "" : String.valueOf(3.0 - i * 1e-6);
                sb.append(",\"").append(loss).append("\",\"").append(loss).append("\",\"").append(2.5).append('"');
            }
            return sb.append('\n').toString();
        });
        Map<String, Long> seen = new TreeMap<>();
        long[] lastStepOfC = {-1};
        ParsedLog log = LogParsers.parse(LogParsers.open(body, null), LogParsers.Options.NONE, (n, s, v, w) -> { }, (run, p) -> {
            seen.merge(run + " " + p.name(), 1L, Long::sum);
            if (run.equals("run-c") && p.name().equals("train/loss")) {
                lastStepOfC[0] = p.step();
            }
        });
        assertEquals(LogFormat.WANDB_CSV, log.format());
        assertTrue(log.runs().isEmpty(), "points are handed on, not kept");
        assertTrue(log.points().isEmpty());
        assertEquals(Map.of("run-a", 2L * rows, "run-b", 2L * rows, "run-c", 2L * rows - rows / 2), log.runPointCounts());
        assertEquals(6L * rows - rows / 2, log.size());
        assertEquals(6, seen.size());
        assertEquals((long) rows / 2, seen.get("run-c train/loss"));
        assertEquals((long) rows, seen.get("run-a eval/loss"));
        assertEquals(rows - 2, lastStepOfC[0]);
    }

    @Test
    void shouldStreamALargeJsonlBodyInConstantMemory() {
        int rows = 200_000;
        long[] count = {0};
        ParsedLog log = LogParsers.parse(LogParsers.open(generated("", rows,
                i -> "{\"step\": " + i + ", \"loss\": 2.5, \"grad_norm\": 1.0}\n"), null), LogParsers.Options.NONE,
                (n, s, v, w) -> count[0]++);
        assertEquals(LogFormat.JSONL, log.format());
        assertEquals(2L * rows, count[0]);
        assertTrue(log.points().isEmpty());
    }

    @Test
    void shouldRefuseAJsonlLineOverTheCapNamingIt() {
        String body = "{\"step\": 1, \"loss\": 2.5}\n{\"step\": 2, \"loss\": 2.4, \"x\": \"" + "y".repeat(200) + "\"}\n";
        LogParseException e = assertThrows(LogParseException.class, () -> LogParsers.parse(
                new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), LogFormat.JSONL, new LogParsers.Options(null, 100)));
        assertEquals(2, e.line());
        assertFalse(e.syntax(), "an over-long line is a 422, not a broken file");
        assertTrue(e.getMessage().contains("100 bytes"), e.getMessage());
    }

    @Test
    void shouldRefuseALineWithoutAnyLineBreakBeforeBufferingMoreThanTheCap() {
        // 100 MB without a line break: the parser gives up after the cap instead of buffering it all
        InputStream endless = generated("{\"step\": 1, \"loss\": 2.5}\n{\"step\": 2, \"note\": \"", 100_000, i -> "z".repeat(1000));
        LogParseException e = assertThrows(LogParseException.class, () -> LogParsers.parse(LogParsers.open(endless,
                LogFormat.LLAMAFACTORY_JSONL), new LogParsers.Options(null, 4096), (n, s, v, w) -> { }));
        assertEquals(2, e.line());
    }

    @Test
    void shouldRefuseACsvRecordOverTheCapNamingItsLine() {
        String body = "step,loss\n1,2.5\n2,\"" + "9".repeat(300) + "\"\n";
        LogParseException e = assertThrows(LogParseException.class, () -> LogParsers.parse(
                new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), LogFormat.CSV, new LogParsers.Options(null, 100)));
        assertEquals(3, e.line());
        assertFalse(e.syntax());
    }

    @Test
    void shouldCutAnOverLongStdoutLineInsteadOfRefusingTheFile() {
        String body = "step 1 | loss 2.5\n" + "=".repeat(500) + "\nstep 2 | loss 2.4\n";
        ParsedLog log = LogParsers.parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), LogFormat.TEXT,
                new LogParsers.Options(null, 100));
        assertEquals(2, log.size());
        assertEquals(1, log.skippedTotal());
    }
}
