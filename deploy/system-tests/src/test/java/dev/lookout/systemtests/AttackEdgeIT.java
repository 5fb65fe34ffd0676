package dev.lookout.systemtests;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Attacks on Lookout's edge with real Keycloak tokens: tokens minted for another audience, the production realm,
 * cookies and redirects behind TLS, the operators' pages, upstream addresses in Location, and a stream flood.
 */
@ExtendWith(SystemExtension.class)
class AttackEdgeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PRODUCTION_REALM = "deploy/keycloak/production/lookout-realm.json";
    private static final String IMPORTED_REALM = "lookout-prod-it";
    private static ManagedProcess tlsGateway;

    @BeforeAll
    static void tlsGateway() {
        // the gateway as the Kubernetes manifests run it behind the ingress: profile tls, proxy 127.0.0.1 trusted
        tlsGateway = SystemUnderTest.get().startExtraGateway("gateway-tls", Ports.TLS_GATEWAY,
                Map.of("quarkus.profile", "prod,tls"), Map.of("LOOKOUT_TRUSTED_PROXIES", "127.0.0.1"));
    }

    @AfterAll
    static void cleanUp() {
        if (tlsGateway != null) {
            tlsGateway.stop();
        }
        adminApi().when().delete("/admin/realms/" + IMPORTED_REALM);
    }

    @Test
    void aTokenMintedForAnotherAudienceIsRefusedAtTheGatewayAndAtEachBackend() throws IOException {
        String own = Api.userToken("eve");
        assertTrue(audiences(own).contains("lookout"), "a Lookout client's token carries the audience: " + audiences(own));
        String foreign = RestAssured.given().baseUri(SystemUnderTest.REALM_URL).contentType(ContentType.URLENC)
                .formParam("grant_type", "password").formParam("client_id", SystemUnderTest.NO_AUDIENCE_CLIENT)
                .formParam("username", "eve").formParam("password", "eve").formParam("scope", "openid")
                .when().post("/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
        assertFalse(audiences(foreign).contains("lookout"), "the foreign token must lack the audience");

        Api.gateway(own).when().get("/api/runs?project=demo").then().statusCode(200);
        for (String path : List.of("/api/runs?project=demo", "/api/me", "/api/live")) {
            Api.gateway(foreign).when().get(path).then().statusCode(401)
                    .contentType("application/problem+json").body("status", equalTo(401));
        }
        for (int port : List.of(Ports.INGEST, Ports.PROBE_RUNNER, Ports.REVIEW)) {
            RestAssured.given().baseUri("http://127.0.0.1:" + port).auth().oauth2(foreign)
                    .when().get(port == Ports.INGEST ? "/api/runs" : port == Ports.PROBE_RUNNER ? "/api/suites"
                            : "/api/verdicts?run=00000000-0000-4000-8000-000000000000")
                    .then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"));
        }
    }

    @Test
    void theProductionRealmHasNoDemoUsersNoDevClientsNoSecretsAndLocksOutGuessers() throws IOException {
        JsonNode realm = JSON.readTree(Files.readString(SystemUnderTest.get().repoFile(PRODUCTION_REALM)));
        assertTrue(realm.path("bruteForceProtected").asBoolean(), "bruteForceProtected");
        assertFalse(realm.path("permanentLockout").asBoolean(true), "temporary lockout, not permanent");
        assertTrue(realm.path("passwordPolicy").asText().contains("length("), realm.path("passwordPolicy").asText());
        for (JsonNode user : realm.path("users")) {
            assertTrue(user.hasNonNull("serviceAccountClientId"), "only service accounts: " + user.path("username"));
            assertTrue(user.path("credentials").isMissingNode(), "no credentials: " + user.path("username"));
        }
        List<String> clientIds = new ArrayList<>();
        for (JsonNode client : realm.path("clients")) {
            String id = client.path("clientId").asText();
            clientIds.add(id);
            assertFalse(client.path("directAccessGrantsEnabled").asBoolean(false), id + " allows password grants");
            assertFalse(client.path("publicClient").asBoolean(false), id + " is public");
            assertTrue(client.path("secret").isMissingNode(), id + " has a committed secret");
            assertTrue(hasAudienceMapper(client), id + " has no lookout audience mapper");
            client.path("redirectUris").forEach(u -> assertTrue(u.asText().startsWith("https://"), id + " " + u));
        }
        assertEquals(Set.of("lookout-gateway", "training-job", "review-service"), Set.copyOf(clientIds));

        ObjectNode renamed = (ObjectNode) realm.deepCopy();
        renamed.put("realm", IMPORTED_REALM);
        adminApi().body(renamed.toString()).when().post("/admin/realms").then().statusCode(201);
        adminApi().when().get("/admin/realms/" + IMPORTED_REALM).then().statusCode(200)
                .body("bruteForceProtected", equalTo(true)).body("passwordPolicy", containsString("length(12)"));
        // the password policy refuses a weak password; a strong one is accepted
        adminApi().body(user("mallory-weak", "mallory1")).when().post("/admin/realms/" + IMPORTED_REALM + "/users")
                .then().statusCode(400);
        adminApi().body(user("mallory", "Correct-Horse-Battery-9")).when().post("/admin/realms/" + IMPORTED_REALM + "/users")
                .then().statusCode(201);
        // no client of the production realm gives out tokens for a password
        for (String clientId : List.of("lookout-dev-cli", "lookout-gateway", "training-job")) {
            Response grant = passwordGrant(SystemUnderTest.KEYCLOAK_URL + "/realms/" + IMPORTED_REALM, clientId,
                    "mallory", "Correct-Horse-Battery-9");
            assertTrue(grant.statusCode() == 400 || grant.statusCode() == 401, clientId + ": " + grant.asString());
            assertFalse(grant.asString().contains("access_token"), clientId + ": " + grant.asString());
        }
    }

    @Test
    void repeatedWrongPasswordsLockTheUserOutOfTheDevRealmToo() {
        String name = Seed.unique("it-guessed").toLowerCase();
        adminApi().body(user(name, "Right-Password-42")).when().post("/admin/realms/lookout/users").then().statusCode(201);
        assertEquals(200, passwordGrant(SystemUnderTest.REALM_URL, "lookout-dev-cli", name, "Right-Password-42").statusCode());
        int failureFactor = adminApi().when().get("/admin/realms/lookout").then().statusCode(200)
                .body("bruteForceProtected", equalTo(true)).extract().path("failureFactor");
        for (int i = 0; i < failureFactor; i++) {
            Response wrong = passwordGrant(SystemUnderTest.REALM_URL, "lookout-dev-cli", name, "guess-" + i);
            assertTrue(wrong.statusCode() == 400 || wrong.statusCode() == 401, wrong.asString());
        }
        Response locked = passwordGrant(SystemUnderTest.REALM_URL, "lookout-dev-cli", name, "Right-Password-42");
        assertTrue(locked.statusCode() == 400 || locked.statusCode() == 401, "locked out: " + locked.asString());
        assertFalse(locked.asString().contains("access_token"));
    }

    @Test
    void behindTlsTheGatewaySetsSecureCookiesHstsAndAnHttpsRedirectUri() {
        Response login = RestAssured.given().baseUri("http://127.0.0.1:" + Ports.TLS_GATEWAY).redirects().follow(false)
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "lookout.example.com")
                .when().get("/");
        assertEquals(302, login.statusCode(), login.asString());
        List<String> cookies = login.headers().getValues("Set-Cookie");
        assertTrue(cookies.stream().anyMatch(c -> c.startsWith("lookout-csrf=")), cookies.toString());
        assertTrue(cookies.stream().anyMatch(c -> c.startsWith("q_auth")), cookies.toString());
        for (String cookie : cookies) {
            assertTrue(cookie.toLowerCase().contains("; secure"), "not Secure: " + cookie);
        }
        assertTrue(login.header("Strict-Transport-Security").startsWith("max-age="), login.headers().toString());
        String redirectUri = URLDecoder.decode(login.header("Location").replaceAll(".*[?&]redirect_uri=([^&]*).*", "$1"),
                StandardCharsets.UTF_8);
        assertTrue(redirectUri.startsWith("https://lookout.example.com"), redirectUri);

        // the plain local gateway (http, no tls profile) keeps working without Secure cookies or HSTS
        Response plain = RestAssured.given().baseUri(SystemUnderTest.GATEWAY_URL).redirects().follow(false)
                .when().get("/");
        assertEquals(302, plain.statusCode());
        assertTrue(plain.header("Location").contains("redirect_uri=http%3A%2F%2F127.0.0.1"), plain.header("Location"));
        assertEquals(null, plain.header("Strict-Transport-Security"));
    }

    @Test
    void metricsAndOpenApiAreNotReadableAnonymouslyThroughTheGateway() throws IOException {
        for (String path : List.of("/q/metrics", "/q/openapi", "/api/runs/%2e%2e/%2e%2e/q/metrics",
                "/api/runs/..%2f..%2fq%2fmetrics", "/api/runs/..;/..;/q/openapi")) {
            Response response = Api.anonymous().urlEncodingEnabled(false).redirects().follow(false).when().get(path);
            assertTrue(response.statusCode() == 401 || response.statusCode() == 404, path + ": " + response.statusCode());
            assertFalse(response.asString().contains("# TYPE"), path + " leaks metrics");
            assertFalse(response.asString().contains("openapi:"), path + " leaks the API description");
        }
        String raw = RawHttp.get("127.0.0.1", Ports.GATEWAY, "/api/runs/../../q/metrics", null);
        assertTrue(raw.startsWith("HTTP/1.1 401"), raw);
        Api.gateway(Api.userToken("vic")).when().get("/q/metrics").then().statusCode(403);
        // a signed-in non-admin gets nothing either, however the path is dressed up
        String vic = "Bearer " + Api.userToken("vic");
        for (String path : List.of("/q/metrics", "/api/runs/../../q/metrics", "/api/runs/%2e%2e/%2e%2e/q/metrics",
                "/api/runs/..%2f..%2fq%2fmetrics", "/api/runs/..;/..;/q/metrics", "/api/runs/..;/..;/q/openapi")) {
            String answer = RawHttp.get("127.0.0.1", Ports.GATEWAY, path, vic);
            assertFalse(answer.startsWith("HTTP/1.1 200"), path + ": " + answer.lines().findFirst().orElse(""));
            assertFalse(answer.contains("# TYPE") || answer.contains("openapi:"), path + " leaks");
        }
        RestAssured.given().baseUri(SystemUnderTest.GATEWAY_URL).auth().oauth2(Api.userToken("ada"))
                .when().get("/q/metrics").then().statusCode(200).body(containsString("# TYPE"));
        Api.anonymous().when().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aCreatedResourcesLocationNamesNoUpstreamAddress() {
        String job = Api.trainingJobToken();
        String endpoint = Seed.unique("sim");
        Seed.endpoint(job, endpoint);
        Response created = Api.gateway(job).body(Map.of("project", "demo", "name", Seed.unique("edge"),
                        "baseline", Map.of("endpoint", endpoint, "model", "demo-base")))
                .when().post("/api/runs");
        assertEquals(201, created.statusCode(), created.asString());
        String location = created.header("Location");
        assertNotNull(location);
        assertFalse(location.contains("127.0.0.1") || location.contains(":" + Ports.INGEST), location);
        assertTrue(location.startsWith("/api/runs/"), location);
        Api.gateway(job).when().get(location).then().statusCode(200).body("id", equalTo(created.path("id")));
    }

    @Test
    void theSixthLiveStreamOfOneUserIsRefusedWith429() throws Exception {
        String token = Api.trainingJobToken();
        List<InputStream> open = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                HttpResponse<InputStream> stream = openLive(token);
                assertEquals(200, stream.statusCode(), "stream " + (i + 1));
                open.add(stream.body());
            }
            HttpResponse<InputStream> sixth = openLive(token);
            assertEquals(429, sixth.statusCode());
            assertTrue(sixth.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            String body = new String(sixth.body().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(body.contains("\"status\":429"), body);
        } finally {
            for (InputStream stream : open) {
                stream.close();
            }
        }
    }

    private static HttpResponse<InputStream> openLive(String token) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(HttpRequest.newBuilder(URI.create(SystemUnderTest.GATEWAY_URL + "/api/live"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private static Set<String> audiences(String token) throws IOException {
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        JsonNode aud = claims.path("aud");
        Set<String> result = new java.util.TreeSet<>();
        if (aud.isArray()) {
            aud.forEach(a -> result.add(a.asText()));
        } else if (!aud.isMissingNode()) {
            result.add(aud.asText());
        }
        return result;
    }

    private static boolean hasAudienceMapper(JsonNode client) {
        for (JsonNode mapper : client.path("protocolMappers")) {
            if ("oidc-audience-mapper".equals(mapper.path("protocolMapper").asText())
                    && "lookout".equals(mapper.path("config").path("included.custom.audience").asText())
                    && "true".equals(mapper.path("config").path("access.token.claim").asText())) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Object> user(String name, String password) {
        return Map.of("username", name, "enabled", true, "email", name + "@example.com", "emailVerified", true,
                "firstName", "It", "lastName", "Test", "requiredActions", List.of(),
                "credentials", List.of(Map.of("type", "password", "value", password, "temporary", false)));
    }

    private static Response passwordGrant(String realmUrl, String clientId, String user, String password) {
        return RestAssured.given().baseUri(realmUrl).contentType(ContentType.URLENC)
                .formParam("grant_type", "password").formParam("client_id", clientId)
                .formParam("username", user).formParam("password", password)
                .when().post("/protocol/openid-connect/token");
    }

    /** Keycloak's admin REST API with the test Keycloak's bootstrap admin. */
    private static RequestSpecification adminApi() {
        String token = RestAssured.given().baseUri(SystemUnderTest.KEYCLOAK_URL).contentType(ContentType.URLENC)
                .formParam("grant_type", "password").formParam("client_id", "admin-cli")
                .formParam("username", SystemUnderTest.KEYCLOAK_ADMIN)
                .formParam("password", SystemUnderTest.KEYCLOAK_ADMIN_PASSWORD)
                .when().post("/realms/master/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
        return RestAssured.given().baseUri(SystemUnderTest.KEYCLOAK_URL).auth().oauth2(token)
                .contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    /** One raw HTTP/1.1 GET: the path goes out exactly as written (no client normalises it). */
    static final class RawHttp {
        private RawHttp() {
        }

        static String get(String host, int port, String rawPath, String authorization) throws IOException {
            try (java.net.Socket socket = new java.net.Socket(host, port)) {
                socket.setSoTimeout(10_000);
                String request = "GET " + rawPath + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n"
                        + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                        + "Connection: close\r\n\r\n";
                socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }
}
