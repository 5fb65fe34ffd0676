package dev.lookout.ingest.rest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.stream.Stream;

import static dev.lookout.ingest.IngestFixtures.as;
import static dev.lookout.ingest.IngestFixtures.createRun;
import static dev.lookout.ingest.IngestFixtures.eve;
import static org.hamcrest.Matchers.containsString;
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

    static Stream<org.junit.jupiter.params.provider.Arguments> malformed() {
        byte[] junk = new byte[512];
        for (int i = 0; i < junk.length; i++) {
            junk[i] = (byte) (i * 31 + 7);
        }
        byte[] big = new byte[1_100_000];
        Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        return Stream.of(
                arguments("truncated JSON", fixture("trainer_state_truncated.json"), 400, 4),
                arguments("wrong type", fixture("trainer_state_wrong_type.json"), 422, 4),
                arguments("binary junk", junk, 422, 1),
                arguments("empty body", new byte[0], 400, 1),
                arguments("jsonl with a broken line", "{\"current_steps\": 1, \"loss\": 1.0}\n{\"current_steps\": 2, \"loss\"\n".getBytes(), 400, 2),
                arguments("no metrics at all", "{\"current_steps\": 1, \"total_steps\": 9, \"percentage\": 11.1}\n".getBytes(), 422, 1),
                arguments("too large", big, 413, -1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void shouldAnswerMalformedUploadsWithProblemJsonAndStoreNothing(String what, byte[] body, int status, int line) {
        String run = createRun();
        var response = as(eve()).contentType("application/octet-stream").body(body)
                .post("/api/runs/{id}/logs", run)
                .then().statusCode(status).contentType("application/problem+json")
                .body("status", equalTo(status))
                .body(not(containsString("Exception")));
        if (line > 0) {
            response.body("errors[0].line", equalTo(line));
        }
        as(eve()).get("/api/runs/{id}/series", run).then().statusCode(200).body("series", hasSize(0));
    }

    @Test
    void shouldRejectAnUnknownFormatName() {
        as(eve()).contentType("application/json").body("{}").post("/api/runs/{id}/logs?format=tfevents", createRun())
                .then().statusCode(400).contentType("application/problem+json");
    }
}
