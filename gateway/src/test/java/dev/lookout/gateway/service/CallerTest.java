package dev.lookout.gateway.service;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CallerTest {

    private static String jwt(String payloadJson) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8)) + ".sig";
    }

    @Test
    void shouldReadUserRolesAndProjectsFromKeycloakShapedToken() {
        Caller caller = Caller.fromAccessToken(jwt("""
                {"preferred_username":"eve","realm_access":{"roles":["engineer","default-roles-lookout"]},
                 "groups":["/projects/demo","/projects/zeta","/staff","/projects/a/b","/projects/"]}"""),
                "sub-1", List.of());
        assertEquals("eve", caller.user());
        assertEquals(List.of("default-roles-lookout", "engineer"), caller.roles());
        assertEquals(List.of("demo", "zeta"), caller.projects());
        assertFalse(caller.seesAllProjects());
        assertTrue(caller.canSee("demo"));
        assertFalse(caller.canSee("other"));
        assertFalse(caller.canSee(null));
    }

    @Test
    void shouldLetAdminAndServiceSeeEveryProject() {
        assertTrue(Caller.fromAccessToken(jwt("{\"realm_access\":{\"roles\":[\"admin\"]}}"), "ada", List.of())
                .canSee("other"));
        assertTrue(Caller.fromAccessToken(jwt("{\"realm_access\":{\"roles\":[\"service\"]}}"), "svc", List.of())
                .canSee("other"));
    }

    @Test
    void shouldFallBackForOpaqueTokens() {
        Caller caller = Caller.fromAccessToken("opaque", "sub-2", List.of("viewer"));
        assertEquals("sub-2", caller.user());
        assertEquals(List.of("viewer"), caller.roles());
        assertEquals(List.of(), caller.projects());
    }
}
