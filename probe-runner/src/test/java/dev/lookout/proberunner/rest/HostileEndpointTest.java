package dev.lookout.proberunner.rest;

import static dev.lookout.proberunner.ProbeRunnerFixtures.PROJECT;
import static dev.lookout.proberunner.ProbeRunnerFixtures.as;
import static dev.lookout.proberunner.ProbeRunnerFixtures.awaitCompleted;
import static dev.lookout.proberunner.ProbeRunnerFixtures.createSuite;
import static dev.lookout.proberunner.ProbeRunnerFixtures.engineer;
import static dev.lookout.proberunner.ProbeRunnerFixtures.probes;
import static dev.lookout.proberunner.ProbeRunnerFixtures.startRun;
import static dev.lookout.proberunner.ProbeRunnerFixtures.target;
import static dev.lookout.proberunner.ProbeRunnerFixtures.unique;
import static dev.lookout.proberunner.ProbeRunnerFixtures.viewer;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.lookout.proberunner.SimulatorResource;
import dev.lookout.proberunner.service.SecretCipher;
import dev.lookout.simulator.HostileServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/** Attacks through registered endpoints: local services as targets, huge and dripping answers, leaking bodies. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(SimulatorResource.class)
class HostileEndpointTest {

    private static final String MARKER = "SECRET-MARKER-7f3a";

    @Inject
    DataSource dataSource;

    @Inject
    SecretCipher cipher;

    @ConfigProperty(name = "lookout.secrets.key")
    String secretsKey;

    @ParameterizedTest
    @ValueSource(ints = { 5432, 15672, 8180, 5672 })
    void refusesLocalServicesOnPortsOffTheAllowlist(int port) {
        String name = unique("svc" + port);
        as(engineer()).body(Map.of("project", PROJECT, "name", name, "baseUrl", "http://127.0.0.1:" + port))
                .post("/api/endpoints")
                .then().statusCode(422).contentType(startsWith("application/problem+json"))
                .body("errors[0].field", is("baseUrl"))
                .body("errors[0].message", containsString("127.0.0.1:" + port));
        as(engineer()).get("/api/endpoints?project=" + PROJECT).then().statusCode(200)
                .body("findAll { it.name == '" + name + "' }", hasSize(0));
    }

    @Test
    void cutsAHugeAnswerAtTheCapClosesTheSocketAndSaysSo() {
        try (HostileServer huge = HostileServer.huge(0, 6L * 1024 * 1024)) {
            String endpoint = unique("huge");
            createEndpoint(endpoint, huge.baseUrl(), 2, 5000, 64 * 1024);
            String suite = unique("huge");
            createSuite(suite, probes(2, "huge"));
            String runId = startRun(suite, List.of(target(endpoint, "demo-base", "b")));
            awaitCompleted(runId);
            as(viewer()).get("/api/probe-runs/" + runId + "/outputs").then().statusCode(200)
                    .body("$", hasSize(2))
                    .body("status", everyItem(is("error")))
                    .body("finishReason", everyItem(is("truncated")))
                    .body("text", everyItem(nullValue()))
                    .body("attempts", everyItem(is(1)))
                    .body("error", everyItem(containsString("longer than 65536 bytes")));
            assertEquals(2, huge.accepted());
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> huge.open() == 0);
            assertEquals(2, huge.closedByClient(), "the client closed both sockets");
        }
    }

    @Test
    void abortsADrippingAnswerAtTheDeadlineAndNeverHoldsMoreSocketsThanTheCap() {
        try (HostileServer drip = HostileServer.drip(0)) {
            String endpoint = unique("drip");
            createEndpoint(endpoint, drip.baseUrl(), 2, 1500, null);
            String suite = unique("drip");
            createSuite(suite, probes(3, "drip"));
            String runId = startRun(suite, List.of(target(endpoint, "demo-base", "b")));
            awaitCompleted(runId);
            as(viewer()).get("/api/probe-runs/" + runId + "/outputs").then().statusCode(200)
                    .body("$", hasSize(3))
                    .body("status", everyItem(is("error")))
                    .body("attempts", everyItem(is(4)))
                    .body("error", everyItem(is("timed out after 1500 ms")));
            assertEquals(12, drip.accepted(), "3 probes × 4 attempts, one connection each");
            assertTrue(drip.peakOpen() >= 1 && drip.peakOpen() <= 2, "peak open sockets " + drip.peakOpen());
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> drip.open() == 0);
            assertEquals(12, drip.closedByClient());
        }
    }

    @Test
    void healthAndOutputsNeverEchoTheServersBody() {
        try (HostileServer leaky = HostileServer.fixed(0, 500, "{\"error\":\"" + MARKER + " db=postgres\"}")) {
            String endpoint = unique("leaky");
            String id = createEndpoint(endpoint, leaky.baseUrl(), 1, 2000, null);
            String health = as(viewer()).get("/api/endpoints/" + id + "/health").then().statusCode(200)
                    .body("status", is("down")).body("httpStatus", is(500))
                    .body("error", is("the model server answered HTTP 500"))
                    .extract().asString();
            assertFalse(health.contains(MARKER), health);
            String suite = unique("leaky");
            createSuite(suite, probes(1, "leaky"));
            String runId = startRun(suite, List.of(target(endpoint, "demo-base", "b")));
            awaitCompleted(runId);
            String outputs = as(viewer()).get("/api/probe-runs/" + runId + "/outputs").then().statusCode(200)
                    .body("[0].error", is("the model server answered HTTP 500")).extract().asString();
            assertFalse(outputs.contains(MARKER), outputs);
        }
        try (HostileServer odd = HostileServer.fixed(0, 200, "<html>" + MARKER + "</html>")) {
            String id = createEndpoint(unique("odd"), odd.baseUrl(), 1, 2000, null);
            String health = as(viewer()).get("/api/endpoints/" + id + "/health").then().statusCode(200)
                    .body("status", is("down")).extract().asString();
            assertFalse(health.contains(MARKER), health);
        }
    }

    @Test
    void aKeyStoredBeforeBindingStillWorksAndIsStoredAgainBound() throws Exception {
        try (HostileServer server = HostileServer.fixed(0, 200, "{\"data\":[{\"id\":\"m\"}]}")) {
            String secret = "sk-legacy-" + UUID.randomUUID();
            Map<String, Object> body = endpointBody(unique("legacy"), server.baseUrl(), 1, 2000, null);
            body.put("apiKey", secret);
            String id = as(engineer()).body(body).post("/api/endpoints").then().statusCode(201).extract().path("id");
            String legacy = dev.lookout.proberunner.service.SecretCipherTestSupport.legacyEncrypt(secretsKey, secret);
            storeKey(id, legacy);

            as(viewer()).get("/api/endpoints/" + id + "/health").then().statusCode(200).body("status", is("up"));
            assertEquals("Bearer " + secret, server.lastAuthorization());
            String rewritten = storedKey(id);
            assertNotEquals(legacy, rewritten);
            SecretCipher.Decrypted bound = cipher.decrypt(rewritten, UUID.fromString(id));
            assertEquals(secret, bound.plaintext());
            assertFalse(bound.legacy(), "stored again with the endpoint id bound");

            // the bound key is the endpoint's own: on another endpoint's row it no longer decrypts
            String other = as(engineer()).body(endpointBody(unique("other"), server.baseUrl(), 1, 2000, null))
                    .post("/api/endpoints").then().statusCode(201).extract().path("id");
            storeKey(other, rewritten);
            as(viewer()).get("/api/endpoints/" + other + "/health").then().statusCode(500)
                    .body("detail", not(containsString(secret)));
        }
    }

    private static Map<String, Object> endpointBody(String name, String baseUrl, int maxConcurrency, int timeoutMs,
            Integer maxResponseBytes) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("project", PROJECT);
        body.put("name", name);
        body.put("baseUrl", baseUrl);
        body.put("maxConcurrency", maxConcurrency);
        body.put("timeoutMs", timeoutMs);
        if (maxResponseBytes != null) {
            body.put("maxResponseBytes", maxResponseBytes);
        }
        return body;
    }

    private static String createEndpoint(String name, String baseUrl, int maxConcurrency, int timeoutMs,
            Integer maxResponseBytes) {
        return as(engineer()).body(endpointBody(name, baseUrl, maxConcurrency, timeoutMs, maxResponseBytes))
                .post("/api/endpoints").then().statusCode(201)
                .body("maxResponseBytes", is(maxResponseBytes == null ? 262144 : maxResponseBytes))
                .extract().path("id");
    }

    private void storeKey(String id, String enc) throws Exception {
        try (var c = dataSource.getConnection();
                var ps = c.prepareStatement("update probes.endpoints set api_key_enc = ? where id = ?::uuid")) {
            ps.setString(1, enc);
            ps.setString(2, id);
            assertEquals(1, ps.executeUpdate());
        }
    }

    private String storedKey(String id) throws Exception {
        try (var c = dataSource.getConnection();
                var ps = c.prepareStatement("select api_key_enc from probes.endpoints where id = ?::uuid")) {
            ps.setString(1, id);
            try (var rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }
}
