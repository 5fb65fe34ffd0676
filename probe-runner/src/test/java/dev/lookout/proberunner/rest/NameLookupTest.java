package dev.lookout.proberunner.rest;

import static dev.lookout.proberunner.ProbeRunnerFixtures.as;
import static dev.lookout.proberunner.ProbeRunnerFixtures.createEndpoint;
import static dev.lookout.proberunner.ProbeRunnerFixtures.createSuite;
import static dev.lookout.proberunner.ProbeRunnerFixtures.engineer;
import static dev.lookout.proberunner.ProbeRunnerFixtures.otherProjectEngineer;
import static dev.lookout.proberunner.ProbeRunnerFixtures.probes;
import static dev.lookout.proberunner.ProbeRunnerFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.lookout.proberunner.SimulatorResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/** ?project=&name= finds one suite or endpoint by name (ingest-service checks runs and checkpoints with it). */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(SimulatorResource.class)
class NameLookupTest {

    @ConfigProperty(name = SimulatorResource.URL_PROPERTY)
    String simulatorUrl;

    @Test
    void shouldFindASuiteByNameInItsProjectOnly() {
        String suite = unique("lookup");
        createSuite(suite, probes(1, "lookup"));
        createSuite(unique("lookup-other"), probes(1, "lookup"));

        List<String> found = as(engineer()).get("/api/suites?project=demo&name=" + suite).then().statusCode(200)
                .extract().jsonPath().getList("name", String.class);
        assertEquals(List.of(suite), found);
        assertEquals(0, as(engineer()).get("/api/suites?project=demo&name=" + suite + "-nope").then()
                .statusCode(200).extract().jsonPath().getList("id").size());
        assertEquals(0, as(otherProjectEngineer()).get("/api/suites?project=demo&name=" + suite).then()
                .statusCode(200).extract().jsonPath().getList("id").size(), "another project's caller sees nothing");
    }

    @Test
    void shouldFindAnEndpointByNameInItsProjectOnly() {
        String endpoint = unique("lookup");
        createEndpoint(endpoint, simulatorUrl, 1);
        createEndpoint(unique("lookup-other"), simulatorUrl, 1);

        List<String> found = as(engineer()).get("/api/endpoints?project=demo&name=" + endpoint).then()
                .statusCode(200).extract().jsonPath().getList("name", String.class);
        assertEquals(List.of(endpoint), found);
        assertEquals(List.of(endpoint), as(engineer()).get("/api/endpoints?name=" + endpoint).then()
                .statusCode(200).extract().jsonPath().getList("name", String.class), "name without project");
        assertEquals(0, as(engineer()).get("/api/endpoints?project=demo&name=nope-" + endpoint).then()
                .statusCode(200).extract().jsonPath().getList("id").size());
        assertEquals(0, as(otherProjectEngineer()).get("/api/endpoints?project=demo&name=" + endpoint).then()
                .statusCode(200).extract().jsonPath().getList("id").size(), "another project's caller sees nothing");
    }
}
