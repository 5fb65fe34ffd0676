package dev.lookout.systemtests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Keycloak stops: tokens issued before keep working until they expire; a login that needs Keycloak now (a browser
 * coming back with its code, a token signed with a key the gateway has not seen) gets a clear error, never a stack
 * trace or a blank 500; once Keycloak is back, new client-credentials tokens, browser logins and a whole probe run
 * to its review batch work again. Keycloak is always started again.
 */
@ExtendWith(SystemExtension.class)
class KeycloakOutageIT {

    private static final HttpClient BROWSER = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final SystemUnderTest system = SystemUnderTest.get();

    @Test
    void issuedTokensKeepWorkingNewLoginsFailClearlyAndEverythingRecoversWhenKeycloakIsBack() throws Exception {
        long t0 = System.nanoTime();
        String eve = Api.userToken("eve");
        String job = Api.trainingJobToken();
        HttpResponse<String> login = browser(SystemUnderTest.GATEWAY_URL + "/", null);
        assertEquals(302, login.statusCode(), "a browser without a session is sent to Keycloak");
        String state = query(login.headers().firstValue("Location").orElseThrow(), "state");
        String cookies = String.join("; ", login.headers().allValues("Set-Cookie").stream()
                .map(c -> c.split(";", 2)[0]).toList());

        ManagedProcess keycloak = system.process("keycloak");
        keycloak.stop();
        long stopped = System.nanoTime();
        try {
            assertFalse(Ports.inUse(Ports.KEYCLOAK), "Keycloak is down");
            // tokens issued before the stop: the gateway and the backends verify them with the keys they hold
            Api.gateway(eve).queryParam("project", Seed.PROJECT).when().get("/api/runs").then().statusCode(200);
            Api.gateway(job).queryParam("project", Seed.PROJECT).when().get("/api/probe-runs").then().statusCode(200);
            Api.gateway(eve).when().get("/api/me").then().statusCode(200);

            // a browser back from the login page with its code: the code exchange cannot reach Keycloak
            HttpResponse<String> callback = browser(SystemUnderTest.GATEWAY_URL + "/?code=it-code&state=" + state, cookies);
            assertClearError("code exchange while Keycloak is down", callback);
            // a token signed with a key the gateway has not seen (a rotated key): the keys cannot be fetched
            HttpResponse<String> rotated = BROWSER.send(HttpRequest.newBuilder(URI.create(SystemUnderTest.GATEWAY_URL
                            + "/api/runs?project=demo")).header("Authorization", "Bearer " + withUnknownKey(eve))
                    .header("Accept", "application/json").timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, rotated.statusCode(), rotated.body());
            assertClearError("token with an unknown key while Keycloak is down", rotated);
        } finally {
            keycloak.restart(Map.of(), Duration.ofSeconds(300));
        }
        System.out.printf("[faults] keycloak: down for %.1f s (restart included)%n", (System.nanoTime() - stopped) / 1e9);

        long back = System.nanoTime();
        String fresh = await("a new client-credentials token").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(Api::trainingJobToken, t -> t != null);
        Api.gateway(fresh).queryParam("project", Seed.PROJECT).when().get("/api/runs").then().statusCode(200);
        HttpResponse<String> again = browser(SystemUnderTest.GATEWAY_URL + "/", null);
        assertEquals(302, again.statusCode());
        HttpResponse<String> loginPage = browser(again.headers().firstValue("Location").orElseThrow(), null);
        assertEquals(200, loginPage.statusCode(), "Keycloak's login page");
        assertTrue(loginPage.body().contains("kc-form-login") || loginPage.body().contains("username"), "a login form");

        // review-service's own client-credentials client reads the comparison to build the batch
        String endpoint = Seed.unique("sim-kc");
        Seed.endpoint(fresh, endpoint);
        String suite = Seed.unique("kc-suite");
        Seed.suite(fresh, suite);
        String run = Seed.run(fresh, Seed.unique("kc-outage"), endpoint, suite);
        Seed.checkpoint(fresh, run, 400, endpoint);
        String probeRun = (String) Seed.awaitProbeRunsCompleted(run, 1).get(0).get("id");
        Seed.awaitReviewBatch(null, Seed.PROJECT, probeRun);
        System.out.printf("[faults] keycloak: recovered (new token, login page, probe run to review batch) %.1f s after "
                + "the restart; whole test %.1f s%n", (System.nanoTime() - back) / 1e9, (System.nanoTime() - t0) / 1e9);
    }

    /** A 4xx/5xx whose body says something (problem+json or an HTML page) and shows no stack trace or class name. */
    private static void assertClearError(String what, HttpResponse<String> response) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        String body = response.body();
        System.out.printf("[faults] keycloak: %s → %d %s: %s%n", what, response.statusCode(), type,
                body.length() > 300 ? body.substring(0, 300) + "…" : body);
        assertTrue(response.statusCode() >= 400, what + ": " + response.statusCode());
        assertTrue(type.startsWith("application/problem+json") || type.startsWith("text/html"), what + ": " + type);
        assertFalse(body.isBlank(), what + ": empty body");
        for (String leak : List.of("Exception", "\tat ", "io.quarkus", "io.vertx", "dev.lookout")) {
            assertFalse(body.contains(leak), what + " leaks '" + leak + "': " + body);
        }
    }

    private static HttpResponse<String> browser(String url, String cookies) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html")
                .timeout(Duration.ofSeconds(30)).GET();
        if (cookies != null && !cookies.isBlank()) {
            request.header("Cookie", cookies);
        }
        return BROWSER.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String query(String url, String name) {
        Matcher m = Pattern.compile("[?&]" + name + "=([^&]+)").matcher(url);
        assertTrue(m.find(), name + " in " + url);
        return m.group(1);
    }

    /** The same claims and signature under a header naming a key id the realm never had. */
    private static String withUnknownKey(String token) {
        String[] parts = token.split("\\.");
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"rotated-it-key\"}".getBytes(StandardCharsets.UTF_8));
        return header + "." + parts[1] + "." + parts[2];
    }
}
