package dev.lookout.gateway.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.lookout.gateway.proxy.RouteTable;
import dev.lookout.gateway.proxy.Upstream;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Merges the gateway's own OpenAPI document with the backends' into one document of the public API. Pure.
 * <ul>
 * <li>paths: the gateway's own {@code /api/**}, plus each backend's paths that {@link RouteTable} routes to that
 * backend (anything else, {@code /q/*} included, is dropped);</li>
 * <li>{@code components.schemas}: a backend schema whose name is taken by a different definition is renamed
 * {@code <Service><Name>} (e.g. {@code ProbeRunnerTarget}) and that backend's {@code $ref}s are rewritten;</li>
 * <li>security: one bearer scheme and one OAuth 2 scheme (Keycloak: client credentials, authorization code) replace
 * whatever the documents declared, for every operation;</li>
 * <li>{@code info.description} names the backends whose document could not be fetched.</li>
 * </ul>
 */
public final class OpenApiMerger {

    static final String SCHEMA_REF = "#/components/schemas/";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private OpenApiMerger() {
    }

    /**
     * @param own          the gateway's own document (its {@code /q/*} paths are dropped too)
     * @param backends     each backend's document, or empty when it could not be fetched
     * @param oidcServer   the realm's URL ({@code quarkus.oidc.auth-server-url})
     * @return a new document; the inputs are not changed
     */
    public static ObjectNode merge(JsonNode own, Map<Upstream, Optional<JsonNode>> backends, String oidcServer) {
        ObjectNode doc = JSON.objectNode();
        doc.put("openapi", own.path("openapi").asText("3.0.3"));
        ObjectNode info = doc.putObject("info");
        info.put("title", "Lookout API");
        info.put("version", own.path("info").path("version").asText("1"));
        ObjectNode paths = doc.putObject("paths");
        ObjectNode schemas = JSON.objectNode();

        addPaths(paths, own.path("paths"), path -> isOwnPath(path));
        copySchemas(schemas, own.path("components").path("schemas"));

        List<String> missing = new ArrayList<>();
        for (Upstream upstream : Upstream.values()) {
            Optional<JsonNode> backend = backends.getOrDefault(upstream, Optional.empty());
            if (backend.isEmpty()) {
                missing.add(upstream.serviceName());
                continue;
            }
            JsonNode renamed = withClashesRenamed(backend.get(), schemas, upstream);
            copySchemas(schemas, renamed.path("components").path("schemas"));
            addPaths(paths, renamed.path("paths"),
                    path -> RouteTable.resolve(templateFree(path)).filter(upstream::equals).isPresent());
        }
        info.put("description", description(missing));
        if (!schemas.isEmpty()) {
            doc.putObject("components").set("schemas", schemas);
        }
        addSecurity(doc, oidcServer);
        return doc;
    }

    /** The backends that were missing, as said in {@code info.description}. */
    static String description(List<String> missing) {
        String text = "The public API of Lookout, served by the gateway: every path here is called on the gateway"
                + " with 'Authorization: Bearer <access token>' (or the browser's session).";
        if (missing.isEmpty()) {
            return text;
        }
        return text + " INCOMPLETE: the API description of " + String.join(", ", missing)
                + " could not be fetched, so its paths are missing here; try again shortly.";
    }

    static boolean isOwnPath(String path) {
        return (path.startsWith("/api/")) && RouteTable.resolve(templateFree(path)).isEmpty();
    }

    /** {@code /api/projects/{key}/quotas} → {@code /api/projects/key/quotas}: RouteTable routes concrete paths. */
    static String templateFree(String path) {
        return path.replace("{", "").replace("}", "");
    }

    private static void addPaths(ObjectNode target, JsonNode source, java.util.function.Predicate<String> keep) {
        Iterator<Map.Entry<String, JsonNode>> it = source.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (keep.test(e.getKey()) && !target.has(e.getKey())) {
                target.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    private static void copySchemas(ObjectNode target, JsonNode source) {
        Iterator<Map.Entry<String, JsonNode>> it = source.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!target.has(e.getKey())) {
                target.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    /** A copy of the backend's document whose clashing schemas are renamed and referenced by their new names. */
    static JsonNode withClashesRenamed(JsonNode backend, ObjectNode known, Upstream upstream) {
        Map<String, String> renames = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = backend.path("components").path("schemas").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = known.get(e.getKey());
            if (existing != null && !existing.equals(e.getValue())) {
                renames.put(e.getKey(), prefix(upstream) + e.getKey());
            }
        }
        JsonNode copy = backend.deepCopy();
        if (renames.isEmpty()) {
            return copy;
        }
        rewriteRefs(copy, renames);
        ObjectNode schemas = (ObjectNode) copy.path("components").path("schemas");
        renames.forEach((from, to) -> schemas.set(to, schemas.remove(from)));
        return copy;
    }

    /** {@code probe-runner} → {@code ProbeRunner}. */
    static String prefix(Upstream upstream) {
        StringBuilder out = new StringBuilder();
        for (String part : upstream.serviceName().replace("-service", "").split("-")) {
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return out.toString();
    }

    private static void rewriteRefs(JsonNode node, Map<String, String> renames) {
        if (node instanceof ObjectNode object) {
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith(SCHEMA_REF)) {
                String to = renames.get(ref.asText().substring(SCHEMA_REF.length()));
                if (to != null) {
                    object.set("$ref", TextNode.valueOf(SCHEMA_REF + to));
                }
            }
            object.elements().forEachRemaining(child -> rewriteRefs(child, renames));
        } else if (node instanceof ArrayNode array) {
            array.elements().forEachRemaining(child -> rewriteRefs(child, renames));
        }
    }

    /** One bearer scheme and the realm's OAuth 2 flows, required by every operation. */
    private static void addSecurity(ObjectNode doc, String oidcServer) {
        String realm = oidcServer.replaceAll("/+$", "");
        ObjectNode schemes = doc.withObjectProperty("components").putObject("securitySchemes");
        ObjectNode bearer = schemes.putObject("bearer");
        bearer.put("type", "http").put("scheme", "bearer").put("bearerFormat", "JWT")
                .put("description", "An access token of the Lookout realm with audience 'lookout'.");
        ObjectNode oauth = schemes.putObject("keycloak");
        oauth.put("type", "oauth2");
        ObjectNode flows = oauth.putObject("flows");
        flows.putObject("clientCredentials").put("tokenUrl", realm + "/protocol/openid-connect/token")
                .putObject("scopes");
        flows.putObject("authorizationCode").put("authorizationUrl", realm + "/protocol/openid-connect/auth")
                .put("tokenUrl", realm + "/protocol/openid-connect/token").putObject("scopes");
        ArrayNode security = JSON.arrayNode();
        security.addObject().putArray("bearer");
        security.addObject().putArray("keycloak");
        doc.set("security", security);
        doc.path("paths").elements().forEachRemaining(item -> item.elements().forEachRemaining(operation -> {
            if (operation instanceof ObjectNode op && op.has("responses")) {
                op.remove("security");
            }
        }));
    }
}
