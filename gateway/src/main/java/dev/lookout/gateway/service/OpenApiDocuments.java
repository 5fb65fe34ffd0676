package dev.lookout.gateway.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.gateway.config.OpenApiConfig;
import dev.lookout.gateway.config.UpstreamConfig;
import dev.lookout.gateway.proxy.Upstream;
import io.quarkus.smallrye.openapi.runtime.OpenApiDocumentService;
import io.smallrye.openapi.runtime.io.Format;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The public API's description: the gateway's own document merged with each backend's {@code /q/openapi} (fetched
 * server-side, without a token: the backends serve it openly and the gateway never routes it). A complete document is
 * cached for {@code lookout.openapi.cache-ttl}; an incomplete one (a backend down or slow) is not cached, so the next
 * call asks again.
 */
@ApplicationScoped
public class OpenApiDocuments {

    /** The name smallrye-openapi gives the application's only document. */
    private static final String OWN_DOCUMENT = "<default>";
    private static final Logger LOG = Logger.getLogger(OpenApiDocuments.class);

    private final UpstreamConfig upstreams;
    private final OpenApiConfig config;
    private final OpenApiDocumentService ownDocument;
    private final ObjectMapper mapper;
    private final String oidcServer;
    private final HttpClient http;
    private volatile Cached cached;

    record Cached(ObjectNode document, long expiresAtNanos) {
    }

    public OpenApiDocuments(UpstreamConfig upstreams, OpenApiConfig config, OpenApiDocumentService ownDocument,
                            ObjectMapper mapper, @ConfigProperty(name = "quarkus.oidc.auth-server-url") String oidc) {
        this.upstreams = upstreams;
        this.config = config;
        this.ownDocument = ownDocument;
        this.mapper = mapper;
        this.oidcServer = oidc;
        this.http = HttpClient.newBuilder().connectTimeout(config.fetchTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The merged document (a copy the caller may change). */
    public CompletionStage<ObjectNode> merged() {
        Cached current = cached;
        if (current != null && System.nanoTime() - current.expiresAtNanos() < 0) {
            return CompletableFuture.completedFuture(current.document().deepCopy());
        }
        Map<Upstream, CompletableFuture<Optional<JsonNode>>> fetches = new EnumMap<>(Upstream.class);
        for (Upstream upstream : Upstream.values()) {
            fetches.put(upstream, fetch(upstream));
        }
        return CompletableFuture.allOf(fetches.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
            Map<Upstream, Optional<JsonNode>> documents = new EnumMap<>(Upstream.class);
            fetches.forEach((upstream, fetch) -> documents.put(upstream, fetch.join()));
            ObjectNode merged = OpenApiMerger.merge(own(), documents, oidcServer);
            if (documents.values().stream().allMatch(Optional::isPresent)) {
                cached = new Cached(merged, System.nanoTime() + config.cacheTtl().toNanos());
            }
            return merged.deepCopy();
        });
    }

    private JsonNode own() {
        try {
            return mapper.readTree(ownDocument.getDocument(OWN_DOCUMENT, Format.JSON));
        } catch (IOException e) {
            throw new IllegalStateException("the gateway's own OpenAPI document is not JSON", e);
        }
    }

    private CompletableFuture<Optional<JsonNode>> fetch(Upstream upstream) {
        String base = upstream.baseUrl(upstreams).toString().replaceAll("/+$", "");
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/q/openapi?format=json"))
                .timeout(config.fetchTimeout()).header("Accept", "application/json").GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).handle((response, failure) -> {
            if (failure != null) {
                LOG.warnf("%s did not serve its OpenAPI document: %s", upstream.serviceName(), failure.toString());
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                LOG.warnf("%s answered %d for its OpenAPI document", upstream.serviceName(), response.statusCode());
                return Optional.empty();
            }
            try {
                JsonNode doc = mapper.readTree(response.body());
                return doc != null && doc.isObject() ? Optional.of(doc) : Optional.empty();
            } catch (IOException e) {
                LOG.warnf("%s served an OpenAPI document that is not JSON: %s", upstream.serviceName(), e.getMessage());
                return Optional.empty();
            }
        });
    }
}
