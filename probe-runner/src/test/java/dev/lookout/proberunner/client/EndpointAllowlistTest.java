package dev.lookout.proberunner.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.lookout.proberunner.client.EndpointAllowlist.Refused;
import dev.lookout.proberunner.client.EndpointAllowlist.Target;

class EndpointAllowlistTest {

    private static final EndpointAllowlist LOCAL = new EndpointAllowlist(List.of("127.0.0.1:8090", "localhost:8090"));

    @ParameterizedTest
    @ValueSource(strings = { "http://127.0.0.1:5432", "http://127.0.0.1:15672/api", "http://127.0.0.1:8180/realms",
        "http://127.0.0.1", "http://localhost:5672", "https://127.0.0.1", "http://127.0.0.2:8090",
        "http://[::1]:8090", "http://0.0.0.0:8090", "http://127.1:8090", "http://2130706433:8090",
        "http://simulator:8090" })
    void refusesEveryPortAndHostNotListed(String url) {
        assertThrows(Refused.class, () -> LOCAL.check(url));
    }

    @Test
    void theRefusalNamesHostPortAndProperty() {
        Refused refused = assertThrows(Refused.class, () -> LOCAL.check("http://127.0.0.1:5432"));
        assertEquals("host and port '127.0.0.1:5432' are not on the endpoint allowlist "
                + "(lookout.endpoints.allowed-hosts)", refused.getMessage());
    }

    @Test
    void acceptsTheListedHostAndPortAndKeepsThePath() {
        Target t = LOCAL.check("http://127.0.0.1:8090/v1/");
        assertEquals("127.0.0.1", t.host());
        assertEquals(8090, t.port());
        assertEquals("/v1/", t.path());
        assertEquals(8090, LOCAL.check("http://LOCALHOST:8090").port());
    }

    @Test
    void anEntryWithoutPortAllowsOnlyTheSchemesDefaultPort() {
        EndpointAllowlist list = new EndpointAllowlist(List.of("vllm.models.svc"));
        assertEquals(80, list.check("http://vllm.models.svc").port());
        assertEquals(443, list.check("https://vllm.models.svc/").port());
        assertThrows(Refused.class, () -> list.check("http://vllm.models.svc:8000"));
        assertThrows(Refused.class, () -> list.check("http://vllm.models.svc:443"));
    }

    @Test
    void wildcardsMatchSubdomainsOnlyAndRangesBoundThePort() {
        EndpointAllowlist list = new EndpointAllowlist(List.of("*.training.svc:8000-8010"));
        assertEquals("a.b.training.svc", list.check("http://a.b.training.svc:8005").host());
        assertThrows(Refused.class, () -> list.check("http://training.svc:8005"));
        assertThrows(Refused.class, () -> list.check("http://eviltraining.svc:8005"));
        assertThrows(Refused.class, () -> list.check("http://a.training.svc:8011"));
    }

    @Test
    void ipLiteralsMatchIpEntriesExactlyAndNeverNames() {
        EndpointAllowlist list = new EndpointAllowlist(List.of("10.0.0.5:8000", "[::1]:8000"));
        assertEquals(8000, list.check("http://10.0.0.5:8000").port());
        assertEquals(8000, list.check("http://[0:0:0:0:0:0:0:1]:8000").port());
        assertThrows(Refused.class, () -> list.check("http://10.0.0.50:8000"));
        EndpointAllowlist names = new EndpointAllowlist(List.of("localhost:8000"));
        assertThrows(Refused.class, () -> names.check("http://127.0.0.1:8000"));
    }

    @Test
    void refusesUserInfoQueriesAndOtherSchemes() {
        assertThrows(Refused.class, () -> LOCAL.check("http://u:p@127.0.0.1:8090"));
        assertThrows(Refused.class, () -> LOCAL.check("http://127.0.0.1:8090/?x=1"));
        assertThrows(Refused.class, () -> LOCAL.check("ftp://127.0.0.1:8090"));
        assertThrows(Refused.class, () -> LOCAL.check("file:///etc/passwd"));
    }

    @Test
    void anEmptyAllowlistRefusesEverythingAndSaysWhatToSet() {
        EndpointAllowlist empty = new EndpointAllowlist(List.of(" ", ""));
        assertTrue(empty.isEmpty());
        Refused refused = assertThrows(Refused.class, () -> empty.check("http://127.0.0.1:8090"));
        assertTrue(refused.getMessage().contains("allowlist is empty"), refused.getMessage());
        assertTrue(refused.getMessage().contains("LOOKOUT_ENDPOINTS_ALLOWED_HOSTS"), refused.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "*", "*.", "host:", "host:0", "host:70000", "host:9-3", "host:*", "::1", "[::1",
        "[nothost]:80", "bad host", "a/b" })
    void malformedEntriesFailAtStartupNamingTheEntry(String entry) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new EndpointAllowlist(List.of(entry)));
        assertTrue(e.getMessage().contains("lookout.endpoints.allowed-hosts"), e.getMessage());
    }

    @Test
    void resolvingPinsOneAllowedAddress() throws Exception {
        EndpointAllowlist.Pinned literal = LOCAL.resolve(LOCAL.check("http://127.0.0.1:8090"));
        assertEquals(InetAddress.getByName("127.0.0.1"), literal.address());
        EndpointAllowlist.Pinned name = LOCAL.resolve(LOCAL.check("http://localhost:8090"));
        assertTrue(name.address().isLoopbackAddress());
    }

    @Test
    void aNameEntryNeverReachesLoopbackLinkLocalOrWildcardAddresses() throws Exception {
        assertFalse(EndpointAllowlist.allowedForName(InetAddress.getByName("169.254.169.254"), false));
        assertFalse(EndpointAllowlist.allowedForName(InetAddress.getByName("0.0.0.0"), false));
        assertFalse(EndpointAllowlist.allowedForName(InetAddress.getByName("224.0.0.1"), false));
        assertFalse(EndpointAllowlist.allowedForName(InetAddress.getByName("127.0.0.1"), false));
        assertFalse(EndpointAllowlist.allowedForName(InetAddress.getByName("10.1.2.3"), true));
        assertTrue(EndpointAllowlist.allowedForName(InetAddress.getByName("10.1.2.3"), false));
        assertTrue(EndpointAllowlist.allowedForName(InetAddress.getByName("127.0.0.1"), true));
    }
}
