package dev.lookout.proberunner.notify;

import static dev.lookout.proberunner.ProbeRunnerFixtures.as;
import static dev.lookout.proberunner.ProbeRunnerFixtures.token;
import static dev.lookout.proberunner.ProbeRunnerFixtures.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/** CRUD and validation of /api/projects/{key}/webhooks against the real database. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class WebhookResourceTest {

    private static final String RECEIVER = "http://127.0.0.1:45678/hooks/lookout";

    private static Map<String, Object> body(String url, List<String> events, String format) {
        return format == null ? Map.of("url", url, "events", events) : Map.of("url", url, "events", events,
                "format", format);
    }

    private static String path(String project) {
        return "/api/projects/" + project + "/webhooks";
    }

    @Test
    void shouldReturnAGeneratedSecretOnceAndNeverAgainNorLogIt() {
        String project = unique("hooks");
        String engineer = token("eve", List.of("engineer"), project);
        List<String> logged = java.util.Collections.synchronizedList(new ArrayList<>());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(String.valueOf(r.getMessage()) + " " + java.util.Arrays.toString(r.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger("").addHandler(capture);
        try {
            var created = as(engineer).body(body(RECEIVER, List.of("probe-run.completed", "alarm.raised"), null))
                    .post(path(project)).then().statusCode(201)
                    .header("Location", containsString(path(project) + "/"))
                    .body("url", equalTo(RECEIVER)).body("format", equalTo("json")).body("enabled", equalTo(true))
                    .body("events", equalTo(List.of("probe-run.completed", "alarm.raised")))
                    .body("secret", startsWith("whsec_")).extract().jsonPath();
            String id = created.getString("id");
            String secret = created.getString("secret");
            assertEquals(70, secret.length(), "whsec_ + 64 hex digits");

            String got = as(engineer).get(path(project) + "/" + id).then().statusCode(200)
                    .body("secret", nullValue()).extract().asString();
            assertFalse(got.contains(secret), got);
            String listed = as(engineer).get(path(project)).then().statusCode(200).body("$", hasSize(1))
                    .extract().asString();
            assertFalse(listed.contains(secret), listed);
            String updated = as(engineer).body(body(RECEIVER, List.of("review.needed"), "slack"))
                    .put(path(project) + "/" + id).then().statusCode(200)
                    .body("events", equalTo(List.of("review.needed"))).body("format", equalTo("slack"))
                    .body("secret", nullValue()).extract().asString();
            assertFalse(updated.contains(secret), updated);
            // a secret given on create is not echoed either
            String given = "given-secret-0123456789";
            String second = as(engineer).body(Map.of("url", RECEIVER, "events", List.of("alarm.raised"),
                    "secret", given)).post(path(project)).then().statusCode(201).body("secret", nullValue())
                    .extract().asString();
            assertFalse(second.contains(given), second);
            assertFalse(logged.isEmpty(), "the handler saw the service's log");
            for (String line : List.copyOf(logged)) {
                assertFalse(line.contains(secret) || line.contains(given), "secret in log: " + line);
            }
        } finally {
            Logger.getLogger("").removeHandler(capture);
        }
    }

    @Test
    void shouldRefuseAHostOffTheAllowlistNamingTheSettingAndStoreNothing() {
        String project = unique("hooks");
        String engineer = token("eve", List.of("engineer"), project);
        as(engineer).body(body("https://hooks.slack.com/services/T000/B000/XXXX", List.of("alarm.raised"), null))
                .post(path(project)).then().statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("url"))
                .body("errors[0].message", containsString("lookout.webhooks.allowed-hosts"))
                .body("errors[0].message", containsString("hooks.slack.com:443"));
        // a port on the allowlisted host outside the allowed range: PostgreSQL's
        as(engineer).body(body("http://127.0.0.1:5432/", List.of("alarm.raised"), null))
                .post(path(project)).then().statusCode(422).body("errors[0].field", equalTo("url"));
        as(engineer).body(body("ftp://127.0.0.1:45678/x", List.of("alarm.raised"), null))
                .post(path(project)).then().statusCode(422).body("errors[0].message", containsString("http"));
        as(engineer).body(body("http://user:pw@127.0.0.1:45678/x", List.of("alarm.raised"), null))
                .post(path(project)).then().statusCode(422).body("errors[0].field", equalTo("url"));
        as(engineer).get(path(project)).then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void shouldNameEachBadEventAndFormat() {
        String project = unique("hooks");
        String engineer = token("eve", List.of("engineer"), project);
        as(engineer).body(body(RECEIVER, List.of("alarm.raised", "run.deleted"), "xml"))
                .post(path(project)).then().statusCode(422)
                .body("errors.field", equalTo(List.of("events[1]", "format")))
                .body("errors[0].message", containsString("unknown event 'run.deleted'"))
                .body("errors[0].message", containsString("probe-run.completed"));
        as(engineer).body(body(RECEIVER, List.of(), null)).post(path(project)).then().statusCode(422)
                .body("errors[0].field", equalTo("events"));
        as(engineer).body(Map.of("events", List.of("alarm.raised"))).post(path(project)).then().statusCode(400)
                .body("errors[0].field", equalTo("url"));
        as(engineer).body(body(RECEIVER, List.of("webhook.test"), null)).post(path(project)).then().statusCode(422)
                .body("errors[0].field", equalTo("events[0]"));
        as(engineer).body(Map.of("url", RECEIVER, "events", List.of("alarm.raised"), "secret", "short"))
                .post(path(project)).then().statusCode(400).body("errors[0].field", equalTo("secret"));
        as(engineer).get(path(project)).then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void shouldLetViewersReadWithoutThePathAndOtherProjectsSeeNothing() {
        String project = unique("hooks");
        String engineer = token("eve", List.of("engineer"), project);
        String viewer = token("vic", List.of("viewer"), project);
        String other = token("otto", List.of("engineer"), "other");
        String id = as(engineer).body(body(RECEIVER, List.of("alarm.raised"), null)).post(path(project))
                .then().statusCode(201).extract().path("id");

        as(viewer).get(path(project)).then().statusCode(200).body("$", hasSize(1))
                .body("[0].url", equalTo("http://127.0.0.1:45678/…"));
        as(viewer).get(path(project) + "/" + id + "/deliveries").then().statusCode(200).body("$", hasSize(0));
        as(viewer).body(body(RECEIVER, List.of("alarm.raised"), null)).post(path(project)).then().statusCode(403);
        as(viewer).delete(path(project) + "/" + id).then().statusCode(403);
        as(viewer).post(path(project) + "/" + id + "/test").then().statusCode(403);

        as(other).get(path(project)).then().statusCode(404).contentType("application/problem+json");
        as(other).get(path(project) + "/" + id).then().statusCode(404);
        as(other).get(path(project) + "/" + id + "/deliveries").then().statusCode(404);
        as(other).body(body(RECEIVER, List.of("alarm.raised"), null)).put(path(project) + "/" + id)
                .then().statusCode(404);
        as(other).delete(path(project) + "/" + id).then().statusCode(404);
        as(other).body(body(RECEIVER, List.of("alarm.raised"), null)).post(path(project)).then().statusCode(404);
        // the id under another project's key is not found either
        as(other).get(path("other") + "/" + id).then().statusCode(404);

        as(engineer).delete(path(project) + "/" + id).then().statusCode(204);
        as(engineer).get(path(project) + "/" + id).then().statusCode(404);
        as(engineer).get(path(project)).then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void shouldPageTheDeliveryLogNewestFirst() {
        String project = unique("hooks");
        String engineer = token("eve", List.of("engineer"), project);
        // disabled: test deliveries wait in the log instead of being sent
        String id = as(engineer).body(Map.of("url", RECEIVER, "events", List.of("alarm.raised"), "enabled", false))
                .post(path(project)).then().statusCode(201).body("enabled", equalTo(false)).extract().path("id");
        List<String> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            queued.add(as(engineer).post(path(project) + "/" + id + "/test").then().statusCode(202)
                    .body("state", equalTo("pending")).extract().path("deliveryId"));
        }
        var first = as(engineer).queryParam("limit", 2).get(path(project) + "/" + id + "/deliveries")
                .then().statusCode(200).body("$", hasSize(2)).body("eventType", hasItem("webhook.test"))
                .body("[0].state", equalTo("pending")).body("[0].attempts", equalTo(0)).extract();
        assertEquals(queued.get(2), first.path("[0].id"));
        assertEquals(queued.get(1), first.path("[1].id"));
        String cursor = first.header("Next-Cursor");
        assertTrue(cursor != null && first.header("Link").contains("after=" + cursor), first.headers().toString());
        var second = as(engineer).queryParam("limit", 2).queryParam("after", cursor)
                .get(path(project) + "/" + id + "/deliveries").then().statusCode(200).body("$", hasSize(1)).extract();
        assertEquals(queued.get(0), second.path("[0].id"));
        assertEquals(null, second.header("Next-Cursor"));
        as(engineer).queryParam("limit", 0).get(path(project) + "/" + id + "/deliveries").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
    }
}
