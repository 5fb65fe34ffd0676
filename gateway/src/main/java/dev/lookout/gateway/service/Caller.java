package dev.lookout.gateway.service;

import dev.lookout.platform.ProjectKeys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.platform.Roles;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who is calling, read from the access token's claims (already verified by quarkus-oidc):
 * {@code preferred_username}, {@code realm_access.roles} and {@code groups} ({@code /projects/<key>}).
 */
public record Caller(String user, List<String> roles, List<String> projects) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** admin and service see every project (CONTRACTS "Security model"). */
    public boolean seesAllProjects() {
        return Roles.seesAllProjects(roles::contains);
    }

    /** A reviewer who is neither engineer, admin nor service: kept blind (see {@link Roles#reviewerOnly}). */
    public boolean reviewerOnly() {
        return Roles.reviewerOnly(roles::contains);
    }

    public boolean canSee(String project) {
        return project != null && (seesAllProjects() || projects.contains(project));
    }

    /**
     * @param accessToken a JWT access token (signature already checked by the caller of this method)
     * @param fallbackName used when the token has no preferred_username (e.g. opaque token)
     * @param fallbackRoles used when the token carries no realm roles
     */
    public static Caller fromAccessToken(String accessToken, String fallbackName, Collection<String> fallbackRoles) {
        JsonNode claims = decodePayload(accessToken);
        String user = text(claims, "preferred_username");
        if (user == null) {
            user = fallbackName;
        }
        Set<String> roles = new TreeSet<>();
        JsonNode realmRoles = claims.path("realm_access").path("roles");
        if (realmRoles.isArray()) {
            realmRoles.forEach(r -> roles.add(r.asText()));
        } else if (fallbackRoles != null) {
            roles.addAll(fallbackRoles);
        }
        List<String> groups = new ArrayList<>();
        claims.path("groups").forEach(g -> groups.add(g.asText()));
        Set<String> projects = new TreeSet<>(ProjectKeys.fromGroups(groups));
        return new Caller(user, new ArrayList<>(roles), new ArrayList<>(projects));
    }

    static JsonNode decodePayload(String token) {
        if (token == null) {
            return JSON.createObjectNode();
        }
        String[] parts = token.split("\\.");
        if (parts.length < 2) {
            return JSON.createObjectNode();
        }
        try {
            byte[] json = Base64.getUrlDecoder().decode(parts[1]);
            JsonNode node = JSON.readTree(new String(json, StandardCharsets.UTF_8));
            return node != null && node.isObject() ? node : JSON.createObjectNode();
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }
}
