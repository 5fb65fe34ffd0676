package dev.lookout.gateway.proxy;

import dev.lookout.gateway.config.UpstreamConfig;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;

import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real gateway proxy ({@link ApiProxy} on a Vert.x router, the caller already signed in) in front of a real
 * local Vert.x server standing in for all three upstreams, each on a loopback port of its own.
 */
final class ProxyHarness implements AutoCloseable {

    static final long REVIEW_LIMIT = 1024 * 1024;

    final Vertx vertx = Vertx.vertx();
    final HttpServer upstream;
    final HttpServer gateway;

    ProxyHarness(Handler<HttpServerRequest> upstreamHandler) throws Exception {
        upstream = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(upstreamHandler).listen().toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        ApiProxy proxy = new ApiProxy(vertx, config(URI.create("http://127.0.0.1:" + upstream.actualPort())));
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            ctx.setUser(new QuarkusHttpUser(QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal("eve"))
                    .addCredential(new AccessTokenCredential("eve-token")).build()));
            ctx.next();
        });
        router.route("/api/*").handler(proxy::handle);
        gateway = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(router).listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String gatewayUrl() {
        return "http://127.0.0.1:" + gateway.actualPort();
    }

    int gatewayPort() {
        return gateway.actualPort();
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Upstream addresses and limits as configured in production, but review-service takes at most 1 MiB. */
    static UpstreamConfig config(URI upstream) {
        return new UpstreamConfig() {
            public URI ingest() {
                return upstream;
            }

            public URI probeRunner() {
                return upstream;
            }

            public URI review() {
                return upstream;
            }

            public Duration connectTimeout() {
                return Duration.ofSeconds(5);
            }

            public Duration idleTimeout() {
                return Duration.ofSeconds(30);
            }

            public Duration keepAliveTimeout() {
                return Duration.ofSeconds(20);
            }

            public MaxBody maxBody() {
                return new MaxBody() {
                    public MemorySize ingest() {
                        return new MemorySize(BigInteger.valueOf(256L * 1024 * 1024));
                    }

                    public MemorySize probeRunner() {
                        return new MemorySize(BigInteger.valueOf(10L * 1024 * 1024));
                    }

                    public MemorySize review() {
                        return new MemorySize(BigInteger.valueOf(REVIEW_LIMIT));
                    }
                };
            }
        };
    }
}
