package dev.lookout.systemtests;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One error shape everywhere: the same class of bad request sent to every service, directly and through the gateway,
 * gets the same problem+json members, the same {@code type} and {@code title} for the same status, and
 * {@code errors[]} entries with the same members.
 */
@ExtendWith(SystemExtension.class)
class ProblemShapeIT {

    private static final Set<String> MEMBERS = Set.of("type", "title", "status", "detail", "instance", "errors");
    private static final Set<String> ERROR_MEMBERS = Set.of("field", "line", "column", "index", "offset", "message");
    private static final String MALFORMED = "{\"name\": \"oops\", ";

    /** A JSON-accepting write per service, as {base URL, method, path, token}. */
    private static List<Target> writes(String engineer, String reviewer) {
        String task = UUID.randomUUID().toString();
        return List.of(
                new Target("ingest-service", "http://127.0.0.1:" + Ports.INGEST, "POST", "/api/runs", engineer),
                new Target("probe-runner", "http://127.0.0.1:" + Ports.PROBE_RUNNER, "POST", "/api/suites", engineer),
                new Target("review-service", "http://127.0.0.1:" + Ports.REVIEW, "POST",
                        "/api/reviews/" + task + "/vote", reviewer),
                new Target("gateway → ingest-service", SystemUnderTest.GATEWAY_URL, "POST", "/api/runs", engineer),
                new Target("gateway → probe-runner", SystemUnderTest.GATEWAY_URL, "POST", "/api/suites", engineer),
                new Target("gateway → review-service", SystemUnderTest.GATEWAY_URL, "POST",
                        "/api/reviews/" + task + "/vote", reviewer));
    }

    @Test
    void malformedJsonGetsTheSameBadRequestFromEveryService() {
        Map<String, JsonPath> bodies = new LinkedHashMap<>();
        for (Target t : writes(Api.trainingJobToken(), Api.userToken("rita"))) {
            Response r = t.request().body(MALFORMED).request(t.method(), t.path());
            bodies.put(t.name(), problem(t.name(), r, 400));
        }
        assertEquals(6, bodies.size());
        assertSameTypeAndTitle(bodies);
        bodies.forEach((name, body) -> {
            List<Map<String, Object>> errors = body.getList("errors");
            assertNotNull(errors, name + " names no error entry for malformed JSON");
            assertFalse(errors.isEmpty(), name + " has an empty errors[]");
            for (Map<String, Object> error : errors) {
                assertTrue(ERROR_MEMBERS.containsAll(error.keySet()), name + " errors[] member outside the shape: "
                        + error.keySet());
                assertTrue(error.get("message") instanceof String, name + " errors[] entry without message: " + error);
            }
        });
    }

    @Test
    void aMissingTokenGetsTheSameUnauthorizedFromEveryService() {
        Map<String, JsonPath> bodies = new LinkedHashMap<>();
        for (Target t : writes(null, null)) {
            Response r = t.request().body("{}").request(t.method(), t.path());
            bodies.put(t.name(), problem(t.name(), r, 401));
        }
        assertEquals(6, bodies.size());
        assertSameTypeAndTitle(bodies);
    }

    @Test
    void anUnknownResourceGetsTheSameNotFoundFromEveryService() {
        String engineer = Api.trainingJobToken();
        String missing = UUID.randomUUID().toString();
        List<Target> reads = List.of(
                new Target("ingest-service", "http://127.0.0.1:" + Ports.INGEST, "GET", "/api/runs/" + missing, engineer),
                new Target("probe-runner", "http://127.0.0.1:" + Ports.PROBE_RUNNER, "GET",
                        "/api/probe-runs/" + missing, engineer),
                new Target("review-service", "http://127.0.0.1:" + Ports.REVIEW, "GET",
                        "/api/review-batches/" + missing, engineer),
                new Target("gateway → ingest-service", SystemUnderTest.GATEWAY_URL, "GET", "/api/runs/" + missing,
                        engineer),
                new Target("gateway (own endpoint)", SystemUnderTest.GATEWAY_URL, "GET", "/api/rounds/" + missing,
                        engineer));
        Map<String, JsonPath> bodies = new LinkedHashMap<>();
        for (Target t : reads) {
            bodies.put(t.name(), problem(t.name(), t.request().request(t.method(), t.path()), 404));
        }
        assertEquals(5, bodies.size());
        assertSameTypeAndTitle(bodies);
    }

    private static JsonPath problem(String name, Response r, int status) {
        assertEquals(status, r.statusCode(), name + ": " + r.asString());
        assertTrue(r.contentType().startsWith("application/problem+json"), name + " answered " + r.contentType());
        JsonPath body = r.jsonPath();
        Map<String, Object> members = body.getMap("");
        assertTrue(MEMBERS.containsAll(members.keySet()), name + " has members outside the shape: " + members.keySet());
        assertEquals(status, body.getInt("status"), name);
        assertTrue(body.getString("detail") != null && !body.getString("detail").isBlank(), name + " has no detail");
        assertEquals("https://lookout.dev/problems/", body.getString("type").substring(0, 29), name);
        return body;
    }

    private static void assertSameTypeAndTitle(Map<String, JsonPath> bodies) {
        List<String> types = new ArrayList<>();
        bodies.forEach((name, body) -> types.add(body.getString("type") + " | " + body.getString("title")));
        assertEquals(1, types.stream().distinct().count(), "type | title differ: " + bodies.keySet() + " → " + types);
    }

    private record Target(String name, String base, String method, String path, String token) {
        RequestSpecification request() {
            RequestSpecification spec = given().baseUri(base).contentType(ContentType.JSON).accept(ContentType.JSON);
            if (token != null) {
                spec = spec.header("Authorization", "Bearer " + token);
            }
            return spec;
        }
    }
}
