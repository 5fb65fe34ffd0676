package dev.lookout.gateway.proxy;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class UpstreamLocationTest {

    private static final URI INGEST = URI.create("http://127.0.0.1:8081");
    private static final URI PREFIXED = URI.create("http://ingest-service:8081/ingest/");

    @Test
    void shouldTurnTheUpstreamsAddressIntoTheGatewayPath() {
        assertEquals("/api/runs/r1", UpstreamLocation.toGateway("http://127.0.0.1:8081/api/runs/r1", INGEST));
        assertEquals("/api/runs/r1?x=1", UpstreamLocation.toGateway("http://127.0.0.1:8081/api/runs/r1?x=1", INGEST));
        assertEquals("/api/runs/r1", UpstreamLocation.toGateway("http://INGEST-SERVICE:8081/ingest/api/runs/r1", PREFIXED));
    }

    @Test
    void shouldStripTheBasePathFromRelativeLocations() {
        assertEquals("/api/runs/r1", UpstreamLocation.toGateway("/ingest/api/runs/r1", PREFIXED));
        assertEquals("/api/runs/r1", UpstreamLocation.toGateway("/api/runs/r1", INGEST));
    }

    @Test
    void shouldLeaveOtherHostsAndOddValuesAlone() {
        assertEquals("https://login.example.com/x", UpstreamLocation.toGateway("https://login.example.com/x", INGEST));
        assertEquals("http://127.0.0.1:9999/api/runs", UpstreamLocation.toGateway("http://127.0.0.1:9999/api/runs", INGEST));
        assertEquals("not a uri ^", UpstreamLocation.toGateway("not a uri ^", INGEST));
        assertNull(UpstreamLocation.toGateway(null, INGEST));
    }
}
