package dev.lookout.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The 401/403 answers on a real Vert.x router and as JAX-RS responses, byte for byte. */
class AuthProblemsTest {

    private static final AuthProblems AUTH = new AuthProblems("send a token", "not with your role");
    private static Vertx vertx;
    private static HttpServer server;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        AUTH.register(router, new ObjectMapper());
        router.get("/missing").handler(ctx -> ctx.fail(new AuthenticationFailedException()));
        router.get("/late").handler(ctx -> ctx.fail(new UnauthorizedException()));
        router.get("/role").handler(ctx -> ctx.fail(new ForbiddenException()));
        router.get("/broken").handler(ctx -> ctx.fail(new IllegalStateException("not an auth failure")));
        server = vertx.createHttpServer().requestHandler(router).listen(0).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.actualPort() + path);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRefusedTokenGets401ProblemWithTheBearerChallenge() throws Exception {
        for (String path : List.of("/missing", "/late")) {
            HttpResponse<String> r = get(path);
            assertEquals(401, r.statusCode(), path);
            assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), path);
            assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElse(""), path);
            assertEquals("{\"type\":\"https://lookout.dev/problems/unauthorized\",\"title\":\"Unauthorized\","
                    + "\"status\":401,\"detail\":\"send a token\"}", r.body(), path);
        }
    }

    @Test
    void aWrongRoleGets403ProblemWithoutAChallenge() throws Exception {
        HttpResponse<String> r = get("/role");
        assertEquals(403, r.statusCode());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        assertFalse(r.headers().firstValue("WWW-Authenticate").isPresent());
        assertEquals("{\"type\":\"https://lookout.dev/problems/forbidden\",\"title\":\"Forbidden\","
                + "\"status\":403,\"detail\":\"not with your role\"}", r.body());
    }

    @Test
    void otherFailuresAreLeftToTheNextHandler() throws Exception {
        HttpResponse<String> r = get("/broken");
        assertEquals(500, r.statusCode());
        assertFalse(r.headers().firstValue("Content-Type").orElse("").contains("problem"), r.body());
    }

    @Test
    void theExceptionMappersAnswerTheSameBodiesWithTheRequestPathAsInstance() {
        UriInfo uri = (UriInfo) Proxy.newProxyInstance(UriInfo.class.getClassLoader(), new Class<?>[] {UriInfo.class},
                (proxy, method, args) -> method.getName().equals("getRequestUri")
                        ? URI.create("http://svc/api/runs%2Fx?limit=1") : null);
        Response unauthorized = AUTH.unauthorized(uri);
        assertEquals(401, unauthorized.getStatus());
        assertEquals("Bearer", unauthorized.getHeaderString("WWW-Authenticate"));
        assertEquals("application/problem+json", unauthorized.getHeaderString("Content-Type"));
        assertEquals(Problems.body(401, "send a token", "/api/runs%2Fx", null), unauthorized.getEntity());
        Response forbidden = AUTH.forbidden(null);
        assertEquals(403, forbidden.getStatus());
        assertEquals(null, forbidden.getHeaderString("WWW-Authenticate"));
        Map<?, ?> body = (Map<?, ?>) forbidden.getEntity();
        assertEquals(List.of("type", "title", "status", "detail"), List.copyOf(body.keySet()));
        assertEquals("not with your role", body.get("detail"));
    }

    @Test
    void onlyQuarkusSecurityRefusalsAreAnswered() {
        assertEquals(401, AuthProblems.status(new AuthenticationFailedException()));
        assertEquals(401, AuthProblems.status(new UnauthorizedException()));
        assertEquals(403, AuthProblems.status(new ForbiddenException()));
        assertEquals(0, AuthProblems.status(new IllegalArgumentException()));
        assertEquals(0, AuthProblems.status(null));
        assertTrue(AuthProblems.ORDER < 0, "must run ahead of Quarkus' own route handlers");
    }
}
