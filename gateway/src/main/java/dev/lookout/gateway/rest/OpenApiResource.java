package dev.lookout.gateway.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lookout.gateway.service.OpenApiDocuments;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.io.UncheckedIOException;
import java.util.concurrent.CompletionStage;

/**
 * GET /api/openapi: the whole public API as one OpenAPI 3 document (the gateway's own operations and every backend
 * operation the gateway routes), for any signed-in caller. JSON, or YAML with {@code ?format=yaml}.
 */
@Path("/api/openapi")
public class OpenApiResource {

    private static final YAMLMapper YAML = new YAMLMapper();
    private final OpenApiDocuments documents;

    public OpenApiResource(OpenApiDocuments documents) {
        this.documents = documents;
    }

    @GET
    @Authenticated
    public CompletionStage<Response> document(@QueryParam("format") String format, UriInfo uri) {
        boolean yaml = "yaml".equalsIgnoreCase(format) || "yml".equalsIgnoreCase(format);
        if (format != null && !yaml && !"json".equalsIgnoreCase(format)) {
            return java.util.concurrent.CompletableFuture.completedFuture(ExceptionMappers.problem(400,
                    "format must be json or yaml, not '" + format + "'.", uri));
        }
        String server = uri.getBaseUri().toString().replaceAll("/+$", "");
        return documents.merged().thenApply(doc -> {
            doc.putArray("servers").addObject().put("url", server).put("description", "the Lookout gateway");
            if (!yaml) {
                return Response.ok(doc, MediaType.APPLICATION_JSON_TYPE).build();
            }
            return Response.ok(toYaml(doc), "application/yaml").build();
        });
    }

    private static String toYaml(ObjectNode doc) {
        try {
            return YAML.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
