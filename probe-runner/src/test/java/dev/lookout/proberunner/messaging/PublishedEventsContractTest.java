package dev.lookout.proberunner.messaging;

import static dev.lookout.proberunner.ProbeRunnerFixtures.awaitCompleted;
import static dev.lookout.proberunner.ProbeRunnerFixtures.createEndpoint;
import static dev.lookout.proberunner.ProbeRunnerFixtures.createSuite;
import static dev.lookout.proberunner.ProbeRunnerFixtures.probes;
import static dev.lookout.proberunner.ProbeRunnerFixtures.startRun;
import static dev.lookout.proberunner.ProbeRunnerFixtures.target;
import static dev.lookout.proberunner.ProbeRunnerFixtures.unique;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.lookout.contracts.EventContracts;
import dev.lookout.proberunner.SimulatorResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;

/**
 * Producer side of the event contracts: the events of a probe run (started, progressed, completed) as written to the
 * outbox, whose payload the relay publishes unchanged, match their schemas in deploy/contracts and cover every type
 * asyncapi.yaml lists on probe-runner.events.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(SimulatorResource.class)
class PublishedEventsContractTest {

    @ConfigProperty(name = SimulatorResource.URL_PROPERTY)
    String simulatorUrl;

    @Inject
    DataSource dataSource;

    @Test
    void shouldPublishOnlyEventsThatMatchTheirSchemas() throws Exception {
        String endpoint = unique("contract");
        createEndpoint(endpoint, simulatorUrl, 1); // one call at a time: the first stored output reports progress
        String suite = unique("contract");
        createSuite(suite, probes(3, "contract"));
        simulatorLatency(50);
        String id;
        try {
            id = startRun(suite, List.of(target(endpoint, "demo-ckpt-200", "candidate"),
                    target(endpoint, "demo-base", "baseline")));
            awaitCompleted(id);
        } finally {
            simulatorLatency(0);
        }
        List<String> events = outboxOf(id);
        TreeSet<String> types = new TreeSet<>();
        for (String event : events) {
            EventContracts.assertValid(event);
            types.add(EventContracts.parse(event).path("type").asText());
        }
        assertEquals(new TreeSet<>(EventContracts.typesOn("probe-runner.events")), types, events.toString());
    }

    private void simulatorLatency(int ms) {
        given().baseUri(simulatorUrl).contentType(ContentType.JSON).body(Map.of("latencyMs", ms))
                .put("/admin/config").then().statusCode(200);
    }

    private List<String> outboxOf(String probeRunId) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select"
                + " cast(payload as text) from outbox where destination = 'events' and payload->>'probeRunId' = ?"
                + " order by created_at, id")) {
            ps.setString(1, probeRunId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
