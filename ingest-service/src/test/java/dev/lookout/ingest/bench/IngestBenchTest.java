package dev.lookout.ingest.bench;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import io.quarkus.test.common.http.TestHTTPResource;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static dev.lookout.ingest.IngestFixtures.createRun;
import static dev.lookout.ingest.IngestFixtures.eve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ingest bench (excluded from the normal build; run with {@code ./mvnw -B -ntp -o -pl ingest-service test -Pbench}):
 * uploads a generated 100k-step trainer_state.json, streams 1,000,000 points through POST /metrics in batches
 * of 10,000, and COPYs the same 1,000,000 rows into a scratch table with the same primary key before and after
 * (the machine's load drifts; the ratio uses the mean), all in this run; prints points/s, the ratios and the load
 * average. For context it also COPYs the rows into a table laid out like ingest.metric_points. Numbers land in
 * target/bench.txt as well.
 */
@QuarkusTest
@Tag("bench")
@TestProfile(IngestBenchTest.Profile.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class IngestBenchTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lookout.ingest.max-upload-bytes", "268435456", "quarkus.log.category.\"dev.lookout\".level", "WARN");
        }
    }

    static final int TRAINER_STEPS = 100_000;
    static final int STREAM_POINTS = 1_000_000;
    static final int BATCH = 10_000;
    static final String[] SERIES = {"train/loss", "train/grad_norm", "train/learning_rate", "train/epoch"};

    @Inject
    AgroalDataSource dataSource;

    static double value(String series, long step) {
        double noise = ((step * 2654435761L) % 1000) / 1000.0 - 0.5;
        return switch (series) {
            case "train/loss" -> 0.6 + 1.8 * Math.exp(-step / 40_000.0) + 0.02 * noise;
            case "train/grad_norm" -> 1.0 + 0.2 * noise;
            case "train/learning_rate" -> 2e-5 * (1 - step / 300_000.0);
            default -> step / 100_000.0;
        };
    }

    static byte[] trainerState() {
        return trainerState(TRAINER_STEPS);
    }

    static byte[] trainerState(int steps) {
        StringBuilder sb = new StringBuilder(steps * 120);
        sb.append("{\n  \"best_metric\": null,\n  \"global_step\": ").append(steps).append(",\n  \"log_history\": [\n");
        for (int s = 1; s <= steps; s++) {
            sb.append("    {\"epoch\": ").append(value("train/epoch", s)).append(", \"grad_norm\": ").append(value("train/grad_norm", s))
                    .append(", \"learning_rate\": ").append(value("train/learning_rate", s)).append(", \"loss\": ")
                    .append(value("train/loss", s)).append(", \"step\": ").append(s).append(s < steps ? "},\n" : "}\n");
        }
        sb.append("  ],\n  \"max_steps\": ").append(steps).append("\n}\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Batches of BATCH points: step-major, all four series per step. */
    static List<byte[]> batches() {
        List<byte[]> out = new ArrayList<>();
        int perStep = SERIES.length;
        long steps = STREAM_POINTS / perStep;
        StringBuilder sb = new StringBuilder();
        int inBatch = 0;
        for (long s = 1; s <= steps; s++) {
            for (String name : SERIES) {
                sb.append(inBatch == 0 ? "{\"points\":[" : ",");
                sb.append("{\"name\":\"").append(name).append("\",\"step\":").append(s).append(",\"value\":").append(value(name, s)).append('}');
                if (++inBatch == BATCH) {
                    sb.append("]}");
                    out.add(sb.toString().getBytes(StandardCharsets.UTF_8));
                    sb.setLength(0);
                    inBatch = 0;
                }
            }
        }
        return out;
    }

    static byte[] copyCsv(UUID run) {
        StringBuilder sb = new StringBuilder(STREAM_POINTS * 60);
        long steps = STREAM_POINTS / SERIES.length;
        for (long s = 1; s <= steps; s++) {
            for (String name : SERIES) {
                sb.append(run).append(',').append(name).append(',').append(s).append(',').append(value(name, s)).append('\n');
            }
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @TestHTTPResource("/api/runs/")
    URI runs;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** Plain java.net.http with pre-built byte[] bodies: the client must not be what is measured. */
    HttpResponse<String> post(String token, String run, String path, byte[] body) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(runs.resolve(run + "/" + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    /** The 1, 5 and 15 minute load averages (Linux), or "n/a". */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "n/a (" + e.getMessage() + ")";
        }
    }

    /** The same rows as the service lays them out (V4: series id instead of run id and name), as CSV. */
    static byte[] narrowCsv() {
        StringBuilder sb = new StringBuilder(STREAM_POINTS * 30);
        long steps = STREAM_POINTS / SERIES.length;
        for (long s = 1; s <= steps; s++) {
            for (int k = 0; k < SERIES.length; k++) {
                sb.append(k + 1).append(',').append(s).append(',').append(value(SERIES[k], s)).append('\n');
            }
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** For context only: COPY into a table shaped like ingest.metric_points (series_id, step) — storage's own cost. */
    double copyNarrow(byte[] csv) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            try (Statement st = c.createStatement()) {
                st.execute("drop table if exists ingest.bench_copy_narrow");
                st.execute("create table ingest.bench_copy_narrow (series_id bigint not null, step bigint not null, "
                        + "value double precision not null, wall_time timestamptz, primary key (series_id, step))");
            }
            long t = System.nanoTime();
            long rows = c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("copy ingest.bench_copy_narrow (series_id, step, value) from stdin (format csv)", new ByteArrayInputStream(csv));
            double secs = (System.nanoTime() - t) / 1e9;
            assertEquals(STREAM_POINTS, rows);
            try (Statement st = c.createStatement()) {
                st.execute("drop table ingest.bench_copy_narrow");
            }
            return secs;
        }
    }

    /** Plain COPY of the rows into a fresh scratch table with the same primary key; seconds. */
    double copy(byte[] csv) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            try (Statement st = c.createStatement()) {
                st.execute("drop table if exists ingest.bench_copy");
                st.execute("create table ingest.bench_copy (run_id uuid not null, name text not null, step bigint not null, "
                        + "value double precision not null, wall_time timestamptz, primary key (run_id, name, step))");
            }
            long t = System.nanoTime();
            long rows = c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("copy ingest.bench_copy (run_id, name, step, value) from stdin (format csv)", new ByteArrayInputStream(csv));
            double secs = (System.nanoTime() - t) / 1e9;
            assertEquals(STREAM_POINTS, rows);
            try (Statement st = c.createStatement()) {
                st.execute("drop table ingest.bench_copy");
            }
            return secs;
        }
    }

    @Test
    void bench() throws Exception {
        String token = eve();
        // everything the client sends is built before any timing starts
        byte[] state = trainerState();
        List<byte[]> batches = batches();
        byte[] csv = copyCsv(UUID.randomUUID());
        byte[] narrow = narrowCsv();

        // warm-up, so that JIT compilation and pools are not what is measured (a running service is warm): ten batches
        // and three 20,000-step uploads (a cold parser takes ~1 s for the 100k-step file, a warm one ~0.15 s)
        String warm = createRun();
        for (int i = 0; i < 10; i++) {
            assertEquals(200, post(token, warm, "metrics", batches.get(i)).statusCode());
        }
        byte[] smallState = trainerState(20_000);
        for (int i = 0; i < 3; i++) {
            assertEquals(200, post(token, createRun(), "logs", smallState).statusCode());
        }

        String loadBefore = loadAverage();
        // The machine is shared and its load drifts: the COPY baseline runs before and after the ingests and the
        // ratios use the mean of the two.
        double copyBefore = copy(csv);

        String run1 = createRun();
        long t0 = System.nanoTime();
        HttpResponse<String> up = post(token, run1, "logs", state);
        double trainerSecs = (System.nanoTime() - t0) / 1e9;
        assertEquals(200, up.statusCode(), up.body());
        assertTrue(up.body().contains("\"points\":" + TRAINER_STEPS * 4), up.body());

        String run2 = createRun();
        String expected = "\"stored\":" + BATCH + ",";
        long t1 = System.nanoTime();
        for (byte[] b : batches) {
            HttpResponse<String> r = post(token, run2, "metrics", b);
            if (r.statusCode() != 200 || !r.body().contains(expected)) {
                throw new AssertionError(r.statusCode() + " " + r.body());
            }
        }
        double streamSecs = (System.nanoTime() - t1) / 1e9;

        double copyAfter = copy(csv);
        double copySecs = (copyBefore + copyAfter) / 2;
        double narrowSecs = copyNarrow(narrow);
        String loadAfter = loadAverage();

        double trainerRate = TRAINER_STEPS * 4 / trainerSecs;
        double streamRate = STREAM_POINTS / streamSecs;
        double copyRate = STREAM_POINTS / copySecs;
        String report = String.format(Locale.ROOT, """
                ingest bench (%s; load average before %s, after %s)
                  trainer_state.json, %,d steps (%,d points, %.1f MB): %.2f s, %,.0f points/s
                  POST /metrics, %,d points in %d batches:        %.2f s, %,.0f points/s
                  COPY of the same %,d rows (scratch table, same PK): %.2f s before, %.2f s after, mean %,.0f points/s
                  streamed ingest / COPY = %.0f %%   upload / COPY = %.0f %%
                  (context: COPY into the service's own layout (series_id, step, value): %.2f s; streamed / that = %.0f %%)
                """, java.time.Instant.now(), loadBefore, loadAfter, TRAINER_STEPS, TRAINER_STEPS * 4, state.length / 1e6,
                trainerSecs, trainerRate, STREAM_POINTS, batches.size(), streamSecs, streamRate, STREAM_POINTS, copyBefore,
                copyAfter, copyRate, 100 * streamRate / copyRate, 100 * trainerRate / copyRate, narrowSecs, 100 * narrowSecs / streamSecs);
        System.out.println(report);
        Files.writeString(Path.of("target/bench.txt"), report);
    }

}
