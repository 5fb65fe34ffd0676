package dev.lookout.gateway.proxy;

import dev.lookout.gateway.config.UpstreamConfig;
import io.smallrye.config.WithDefault;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The services' own settings are the truth: the gateway's body limit per upstream equals what that service accepts,
 * and its pool lets a connection idle for less time than the services keep an idle connection open. Read from the
 * services' application.properties in this repository (Quarkus' defaults where they set nothing).
 */
class UpstreamLimitsTest {

    /** Quarkus' defaults (quarkus-vertx-http 3.33): quarkus.http.limits.max-body-size and quarkus.http.idle-timeout. */
    private static final String QUARKUS_MAX_BODY = "10240K";
    private static final String QUARKUS_IDLE_TIMEOUT = "30M";

    @Test
    void theGatewaysBodyLimitPerUpstreamIsTheServicesOwn() throws Exception {
        Properties ingest = service("ingest-service");
        Properties probeRunner = service("probe-runner");
        Properties review = service("review-service");
        // ingest-service: Vert.x' ceiling sits above its own upload cap, which answers 413 first
        long ingestCap = Long.parseLong(javaDefault("ingest-service",
                "dev/lookout/ingest/config/IngestConfig.java", "maxUploadBytes"));
        assertTrue(size(ingest.getProperty("quarkus.http.limits.max-body-size", QUARKUS_MAX_BODY)) >= ingestCap);
        assertEquals(ingestCap, size(gatewayDefault("ingest")));
        assertEquals(size(probeRunner.getProperty("quarkus.http.limits.max-body-size", QUARKUS_MAX_BODY)),
                size(gatewayDefault("probeRunner")));
        assertEquals(size(review.getProperty("quarkus.http.limits.max-body-size", QUARKUS_MAX_BODY)),
                size(gatewayDefault("review")));
    }

    @Test
    void pooledConnectionsIdleShorterThanAnyServiceKeepsThem() throws Exception {
        Duration keepAlive = Duration.parse("PT" + UpstreamConfig.class.getMethod("keepAliveTimeout")
                .getAnnotation(WithDefault.class).value());
        for (String module : new String[] {"ingest-service", "probe-runner", "review-service"}) {
            Duration idle = Duration.parse("PT" + service(module).getProperty("quarkus.http.idle-timeout",
                    QUARKUS_IDLE_TIMEOUT).toUpperCase(Locale.ROOT));
            assertTrue(keepAlive.multipliedBy(2).compareTo(idle) < 0, module + ": " + idle + " vs " + keepAlive);
        }
    }

    private static String gatewayDefault(String upstream) throws NoSuchMethodException {
        return UpstreamConfig.MaxBody.class.getMethod(upstream).getAnnotation(WithDefault.class).value();
    }

    private static Properties service(String module) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(
                Path.of("..", module, "src/main/resources/application.properties"))) {
            properties.load(reader);
        }
        return properties;
    }

    /** The {@code @WithDefault} of a config method, read from the service's source (the gateway cannot load it). */
    private static String javaDefault(String module, String file, String method) throws IOException {
        String source = Files.readString(Path.of("..", module, "src/main/java", file));
        int at = source.indexOf(" " + method + "()");
        int annotation = source.lastIndexOf("@WithDefault(\"", at);
        assertTrue(at > 0 && annotation > 0, method + " in " + file);
        return source.substring(annotation + "@WithDefault(\"".length(), source.indexOf('"', annotation + 14));
    }

    /** Quarkus' memory sizes: a number with an optional K, M or G (powers of 1024). */
    static long size(String value) {
        String v = value.trim().toUpperCase(Locale.ROOT);
        char unit = v.charAt(v.length() - 1);
        long factor = switch (unit) {
            case 'K' -> 1024L;
            case 'M' -> 1024L * 1024;
            case 'G' -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        return Long.parseLong(factor == 1 ? v : v.substring(0, v.length() - 1)) * factor;
    }
}
