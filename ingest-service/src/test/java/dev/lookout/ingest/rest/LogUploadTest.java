package dev.lookout.ingest.rest;

import dev.lookout.ingest.service.parse.TfEventsFixtures;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;

import static dev.lookout.ingest.IngestFixtures.as;
import static dev.lookout.ingest.IngestFixtures.DEMO;
import static dev.lookout.ingest.IngestFixtures.createRun;
import static dev.lookout.ingest.IngestFixtures.runBody;
import static dev.lookout.ingest.IngestFixtures.uniqueName;
import static dev.lookout.ingest.IngestFixtures.eve;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.params.provider.Arguments.arguments;

@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class LogUploadTest {

    static byte[] fixture(String name) {
        try (InputStream in = LogUploadTest.class.getResourceAsStream("/fixtures/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void shouldReportATrainerStateUploadAndCountARepeatAsDuplicates() {
        String run = createRun();
        as(eve()).contentType("application/json").body(fixture("trainer_state_sft.json"))
                .post("/api/runs/{id}/logs", run)
                .then().statusCode(200)
                .body("format", equalTo("hf-trainer-state"))
                .body("points", equalTo(17))
                .body("series.'train/loss'", equalTo(4))
                .body("series.'eval/loss'", equalTo(1))
                .body("skipped", hasSize(1))
                .body("skipped[0].reason", containsString("summary"))
                .body("duplicates", equalTo(0))
                .body("conflicts", equalTo(0));
        as(eve()).contentType("application/json").body(fixture("trainer_state_sft.json"))
                .post("/api/runs/{id}/logs?format=hf-trainer-state", run)
                .then().statusCode(200).body("points", equalTo(0)).body("duplicates", equalTo(17));
    }

    @Test
    void shouldReadLlamaFactoryJsonl() {
        String run = createRun();
        as(eve()).contentType("application/x-ndjson").body(fixture("trainer_log_lf.jsonl"))
                .post("/api/runs/{id}/logs", run)
                .then().statusCode(200)
                .body("format", equalTo("llamafactory-jsonl"))
                .body("points", equalTo(11))
                .body("skipped[0].line", equalTo(6));
    }

    @Test
    void shouldRaiseNonFiniteAlarmsFromAnUploadOnlyOnce() {
        String run = createRun();
        for (int i = 0; i < 2; i++) {
            as(eve()).contentType("application/json").body(fixture("trainer_state_dpo_nan.json"))
                    .post("/api/runs/{id}/logs", run).then().statusCode(200);
        }
        as(eve()).get("/api/runs/{id}/alarms", run).then().statusCode(200)
                .body("findAll { it.kind == 'non-finite' }.series", hasSize(2))
                .body("series", hasItem("train/grad_norm"));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> malformed() {
        byte[] junk = new byte[512];
        for (int i = 0; i < junk.length; i++) {
            junk[i] = (byte) (i * 31 + 7);
        }
        byte[] big = new byte[1_100_000];
        Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        byte[] bigText = new byte[1_100_000];
        Arrays.fill(bigText, (byte) 'a');
        byte[] tf = TfEventsFixtures.file().simple(10, "train/loss", 2.5f).simple(20, "train/loss", 2.4f).bytes();
        int second = TfEventsFixtures.file().simple(10, "train/loss", 2.5f).bytes().length;
        byte[] badDataCrc = tf.clone();
        badDataCrc[second + 14] ^= 1;
        byte[] badLastCrc = tf.clone();
        badLastCrc[tf.length - 1] ^= 1;
        byte[] truncatedTf = Arrays.copyOf(tf, tf.length - 5);
        byte[] headerOnlyTf = Arrays.copyOf(tf, second + 6);
        byte[] tfNoScalars = TfEventsFixtures.file().histogram(1, "w").bytes();
        byte[] gzip = {0x1f, (byte) 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, (byte) 0xff, 0x03, 0, 0};
        byte[] latin1Csv = "step,loss\n1,2.0\n2,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        return Stream.of(
                // [what, body, ?query, status, line (-1: not checked), offset (-1: not checked)]
                arguments("truncated JSON", fixture("trainer_state_truncated.json"), "", 400, 4, -1),
                arguments("wrong type", fixture("trainer_state_wrong_type.json"), "", 422, 4, -1),
                arguments("binary junk", junk, "", 422, 1, -1),
                arguments("gzip file", gzip, "", 422, 1, -1),
                arguments("empty body", new byte[0], "", 400, 1, -1),
                arguments("only blank lines", utf8("\n\n   \n"), "", 400, 1, -1),
                arguments("jsonl with a broken line", utf8("{\"current_steps\": 1, \"loss\": 1.0}\n{\"current_steps\": 2, \"loss\"\n"), "", 400, 2, -1),
                arguments("no metrics at all", utf8("{\"current_steps\": 1, \"total_steps\": 9, \"percentage\": 11.1}\n"), "", 422, 1, -1),
                arguments("too large", big, "", 413, -1, -1),
                arguments("too large text", bigText, "", 413, -1, -1),
                arguments("a JSON array", utf8("[{\"step\": 1, \"loss\": 2.0}]"), "", 422, 1, -1),
                arguments("a JSON object of another kind", utf8("{\"prompt\": \"hi\", \"predict\": \"hello\"}\n"), "", 422, 1, -1),
                arguments("trainer_state without log_history", utf8("{\n  \"global_step\": 5,\n  \"epoch\": 1.0\n}\n"), "", 422, 4, -1),
                arguments("trainer_state log_history not an array", utf8("{\"log_history\": {\"loss\": 1}}"), "", 422, 1, -1),
                arguments("trainer_state negative step", utf8("{\"log_history\": [{\"loss\": 1.0, \"step\": -5}]}"), "", 422, 1, -1),
                arguments("trainer_state fractional step", utf8("{\"log_history\": [{\"loss\": 1.0, \"step\": 2.5}]}"), "", 422, 1, -1),
                arguments("trainer_state loss as text", utf8("{\"log_history\": [{\"loss\": \"high\", \"step\": 1}]}"), "", 422, 1, -1),
                arguments("trainer_state trailing garbage", utf8("{\"log_history\": [{\"loss\": 1.0, \"step\": 1}]} xyz"), "", 400, 1, -1),
                arguments("llamafactory step as text", utf8("{\"current_steps\": \"five\", \"loss\": 1.0}\n"), "", 422, 1, -1),
                arguments("llamafactory line not an object", utf8("{\"current_steps\": 1, \"loss\": 1.0}\n[1, 2]\n"), "", 422, 2, -1),
                arguments("ms-swift step not a number", utf8("{\"loss\": 1.0, \"global_step/max_steps\": \"x/438\"}\n"), "", 422, 1, -1),
                arguments("ms-swift grad_norm as object", utf8("{\"loss\": 1.0, \"grad_norm\": {}, \"train_speed(iter/s)\": 1, \"global_step\": 1}\n"), "", 422, 1, -1),
                arguments("jsonl without a step key", utf8("{\"loss\": 1.0}\n"), "", 422, 1, -1),
                arguments("jsonl broken second line", utf8("{\"step\": 1, \"loss\": 1.0}\n{\"step\": 2, \"loss\": 1.0\n"), "", 400, 2, -1),
                arguments("jsonl invalid UTF-8", concat(utf8("{\"step\": 1, \"loss\": 1.0}\n{\"step\": 2, \"note\": \""), new byte[] {(byte) 0xC3, 0x28}, utf8("\"}\n")), "", 400, 2, -1),
                arguments("CSV without a step column", utf8("run,loss\na,1.0\nb,2.0\n"), "", 422, 1, -1),
                arguments("CSV with only a step column", utf8("step,\n1,\n"), "?format=csv", 422, 1, -1),
                arguments("CSV step as text", utf8("step,loss\n1,2.0\nten,1.9\n"), "", 422, 3, -1),
                arguments("CSV unterminated quote", utf8("step,loss\n1,\"2.0\n"), "", 400, 2, -1),
                arguments("CSV in Latin-1", latin1Csv, "", 400, -1, -1),
                arguments("CSV of text only", utf8("step,tag\n1,a\n2,b\n"), "", 422, -1, -1),
                arguments("W&B export, unknown run", fixture("wandb_history_two_runs.csv"), "?wandbRun=nope", 422, 1, -1),
                arguments("W&B runs table", fixture("wandb_runs_table.csv"), "", 422, 1, -1),
                arguments("stdout without metrics", utf8("Loading model...\nTraceback (most recent call last):\n  File \"x.py\", line 1\nValueError: boom\n"), "", 422, 1, -1),
                arguments("tfevents bad data CRC", badDataCrc, "", 400, -1, second),
                arguments("tfevents bad CRC of the last record", badLastCrc, "", 400, -1, second),
                arguments("tfevents truncated record", truncatedTf, "", 400, -1, second),
                arguments("tfevents truncated header", headerOnlyTf, "", 400, -1, second),
                arguments("tfevents without scalars", tfNoScalars, "", 422, -1, -1),
                arguments("tfevents forced on JSON", fixture("trainer_state_sft.json"), "?format=tfevents", 400, -1, 0),
                arguments("text forced on binary", junk, "?format=csv", 400, -1, -1));
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void shouldAnswerMalformedUploadsWithProblemJsonAndStoreNothing(String what, byte[] body, String query, int status,
                                                                    int line, int offset) {
        String run = createRun();
        var response = as(eve()).contentType("application/octet-stream").body(body)
                .post("/api/runs/{id}/logs" + query, run)
                .then().statusCode(status).contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("detail", not(emptyOrNullString()))
                .body(not(containsString("Exception")))
                .body(not(containsString("dev.lookout")));
        if (line > 0) {
            response.body("errors[0].line", equalTo(line));
        }
        if (offset >= 0) {
            response.body("errors[0].offset", equalTo(offset)).body("detail", containsString("offset " + offset));
        }
        as(eve()).get("/api/runs/{id}/series", run).then().statusCode(200).body("series", hasSize(0));
        as(eve()).get("/api/runs/{id}/alarms", run).then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void shouldImportEachRunOfAMultiRunWandbExportIntoARunOfTheSameProject() {
        String run = createRun();
        String a = "char_to_token1729642919.4054031";
        String b = "last_char1729630560.5729918";
        String c = "token_to_char1729587337.8266432";
        as(eve()).contentType("text/csv").body(fixture("wandb_history_three_runs.csv")).post("/api/runs/{id}/logs", run)
                .then().statusCode(200).body("format", equalTo("wandb-csv"))
                .body("points", equalTo(11))
                .body("series.'train/loss'", equalTo(11))
                .body("runs", hasSize(3))
                .body("runs[0].runId", equalTo(run)).body("runs[0].wandbRun", equalTo(a)).body("runs[0].created", equalTo(false))
                .body("runs[0].points", equalTo(4))
                .body("runs[1].name", equalTo(b)).body("runs[1].created", equalTo(true)).body("runs[1].points", equalTo(4))
                .body("runs[2].name", equalTo(c)).body("runs[2].created", equalTo(true)).body("runs[2].points", equalTo(3))
                .body("notes", hasItem(containsString("imported as 3 runs")));
        String created = as(eve()).get("/api/runs?project=demo&limit=1000").then().statusCode(200)
                .body("find { it.name == '" + b + "' }.labels.source", equalTo("wandb"))
                .body("find { it.name == '" + b + "' }.baseline.model", equalTo("qwen2.5-7b"))
                .extract().path("find { it.name == '" + c + "' }.id");
        as(eve()).get("/api/runs/{id}/series?name=train/loss", created).then().statusCode(200)
                .body("series[0].count", equalTo(3)).body("series[0].last", equalTo(3.75f));
        // the same file again: everything is a duplicate, no run is created twice
        as(eve()).contentType("text/csv").body(fixture("wandb_history_three_runs.csv")).post("/api/runs/{id}/logs", run)
                .then().statusCode(200).body("points", equalTo(0)).body("duplicates", equalTo(11))
                .body("runs[1].created", equalTo(false)).body("runs[2].runId", equalTo(created));
    }

    @Test
    void shouldPutTheWandbRunNamedLikeTheUrlRunIntoIt() {
        String name = uniqueName("lr1e-3");
        String run = as(eve()).contentType("application/json").body(runBody(DEMO, name)).post("/api/runs")
                .then().statusCode(201).extract().path("id");
        String csv = new String(fixture("wandb_history_two_runs.csv"), StandardCharsets.UTF_8).replace("lr1e-3", name)
                .replace("lr3e-4", name + "-other");
        as(eve()).contentType("text/csv").body(csv).post("/api/runs/{id}/logs", run)
                .then().statusCode(200)
                .body("runs.find { it.runId == '" + run + "' }.wandbRun", equalTo(name))
                .body("runs.find { it.runId == '" + run + "' }.points", equalTo(6))
                .body("runs.find { it.wandbRun == '" + name + "-other' }.created", equalTo(true));
    }

    @Test
    void shouldStoreNothingInAnyRunWhenAMultiRunImportFails() {
        String run = createRun();
        String csv = new String(fixture("wandb_history_three_runs.csv"), StandardCharsets.UTF_8) + "\"x7\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1\"\n";
        as(eve()).contentType("text/csv").body(csv).post("/api/runs/{id}/logs", run)
                .then().statusCode(422).contentType("application/problem+json").body("errors[0].line", equalTo(7));
        as(eve()).get("/api/runs/{id}/series", run).then().statusCode(200).body("series", hasSize(0));
    }

    @Test
    void shouldImportOneRunOfAWandbExport() {
        as(eve()).contentType("text/csv").body(fixture("wandb_history_two_runs.csv"))
                .post("/api/runs/{id}/logs?wandbRun=lr1e-3", createRun())
                .then().statusCode(200).body("format", equalTo("wandb-csv"))
                .body("series.'train/loss'", equalTo(4)).body("notes[0]", containsString("lr1e-3"));
    }

    @Test
    void shouldReadAnMsSwiftLogCountingDuplicatedRowsAndReportingTheSummary() {
        as(eve()).contentType("application/x-ndjson").body(fixture("swift_logging.jsonl")).post("/api/runs/{id}/logs", createRun())
                .then().statusCode(200).body("format", equalTo("ms-swift-jsonl"))
                .body("series.'train/loss'", equalTo(2)).body("series.'eval/loss'", equalTo(1))
                .body("duplicates", equalTo(12)).body("conflicts", equalTo(0))
                .body("skippedTotal", equalTo(2)).body("skipped[1].line", equalTo(8))
                .body("notes[0]", containsString("log_history"));
    }

    @Test
    void shouldReadTextAndTensorBoardUploads() {
        as(eve()).contentType("text/plain").body(fixture("nanogpt_stdout.txt")).post("/api/runs/{id}/logs", createRun())
                .then().statusCode(200).body("format", equalTo("text")).body("series.'eval/loss'", equalTo(2))
                .body("skippedTotal", equalTo(6));
        byte[] tf = TfEventsFixtures.file().simple(10, "train/loss", 2.5f).tensor(20, "train/loss", 2.25f).bytes();
        as(eve()).contentType("application/octet-stream").body(tf).post("/api/runs/{id}/logs", createRun())
                .then().statusCode(200).body("format", equalTo("tfevents")).body("series.'train/loss'", equalTo(2));
    }


    @Test
    void shouldRaiseOverfittingFromAnUploadNamingWhereEvalLossBottomedOnlyOnce() {
        String run = createRun();
        for (int i = 0; i < 2; i++) {
            as(eve()).contentType("application/x-ndjson").body(fixture("trainer_log_overfit.jsonl"))
                    .post("/api/runs/{id}/logs", run).then().statusCode(200);
        }
        as(eve()).get("/api/runs/{id}/alarms", run).then().statusCode(200)
                .body("$", hasSize(1))
                .body("[0].kind", equalTo("overfitting"))
                .body("[0].severity", equalTo("warning"))
                .body("[0].series", equalTo("eval/loss"))
                .body("[0].fromStep", equalTo(1500))
                .body("[0].message", containsString("since step 1,500"))
                .body("[0].evidence[0].step", equalTo(1500))
                .body("[0].evidence[0].value", equalTo(1.65f));
    }

    @Test
    void shouldRejectAnUnknownFormatName() {
        as(eve()).contentType("application/json").body("{}").post("/api/runs/{id}/logs?format=parquet", createRun())
                .then().statusCode(400).contentType("application/problem+json");
    }
}
