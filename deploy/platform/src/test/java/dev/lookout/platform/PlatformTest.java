package dev.lookout.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlatformTest {

    @Test
    void aProblemBodyHasTheStandardMembersInOrderAndOnlySetErrorMembers() {
        Map<String, Object> body = Problems.body(422, "targets[1].model is missing", "/api/probe-runs",
                List.of(Problems.FieldError.field("targets[1].model", "must not be blank"),
                        Problems.FieldError.at(3L, 7L, "unexpected character")));
        assertEquals(List.of("type", "title", "status", "detail", "instance", "errors"), List.copyOf(body.keySet()));
        assertEquals("https://lookout.dev/problems/unprocessable", body.get("type"));
        assertEquals("Unprocessable input", body.get("title"));
        assertEquals(422, body.get("status"));
        List<?> errors = (List<?>) body.get("errors");
        assertEquals(2, errors.size());
        assertEquals(Map.of("field", "targets[1].model", "message", "must not be blank"), errors.get(0));
        assertEquals(Map.of("line", 3L, "column", 7L, "message", "unexpected character"), errors.get(1));
    }

    @Test
    void withoutDetailInstanceOrErrorsTheBodyStaysWellFormed() {
        Map<String, Object> body = Problems.body(404, null, null, List.of());
        assertEquals(List.of("type", "title", "status", "detail"), List.copyOf(body.keySet()));
        assertEquals("Not found", body.get("detail"));
    }

    @Test
    void everyStatusAServiceAnswersHasItsOwnTypeAndTitle() {
        int[] statuses = {400, 401, 403, 404, 405, 406, 408, 409, 413, 415, 422, 429, 500, 502, 503, 504};
        assertEquals(statuses.length, Arrays.stream(statuses).mapToObj(Problems::type).distinct().count());
        assertEquals(statuses.length, Arrays.stream(statuses).mapToObj(Problems::title).distinct().count());
        assertTrue(Arrays.stream(statuses).mapToObj(Problems::type).allMatch(t -> t.startsWith(Problems.TYPE_BASE)));
        assertEquals("https://lookout.dev/problems/status-418", Problems.type(418));
    }

    @Test
    void onlyFlatValidProjectGroupsGrantAProject() {
        Set<String> keys = ProjectKeys.fromGroups(List.of("/projects/demo", "/projects/a/b", "/projects/", "/other/x",
                "/projects/-bad", "/projects/ok.key_1", "/projects/" + "x".repeat(101)));
        assertEquals(List.of("demo", "ok.key_1"), List.copyOf(keys));
        assertTrue(ProjectKeys.fromGroups(null).isEmpty());
        assertFalse(ProjectKeys.isValid("a/b"));
        assertFalse(ProjectKeys.isValid(null));
        assertTrue(ProjectKeys.isValid("x".repeat(100)));
    }

    @Test
    void adapterPathsAndDefaultNamesFollowOneRule() {
        assertEquals("sft-v3-qwen-400", Adapters.defaultName("sft v3/qwen", 400));
        assertEquals("run-1", Adapters.defaultName("../..", 1));
        assertEquals(Adapters.MAX_NAME, Adapters.defaultName("x".repeat(300), 123456).length());
        assertEquals(null, Adapters.pathProblem("/out/sft-7/checkpoint-400"));
        assertEquals("must be a non-empty path", Adapters.pathProblem(" "));
        assertEquals("must not contain control characters", Adapters.pathProblem("a\tb"));
        assertEquals("must be at most 1024 characters", Adapters.pathProblem("/" + "a".repeat(1024)));
    }

    @Test
    void adminAndServiceSeeAllProjectsAndAReviewerOnlyCallerStaysBlind() {
        assertTrue(Roles.seesAllProjects(Set.of(Roles.ADMIN)::contains));
        assertTrue(Roles.seesAllProjects(Set.of(Roles.SERVICE)::contains));
        assertFalse(Roles.seesAllProjects(Set.of(Roles.ENGINEER, Roles.REVIEWER, Roles.VIEWER)::contains));
        assertTrue(Roles.reviewerOnly(Set.of(Roles.REVIEWER)::contains));
        assertTrue(Roles.reviewerOnly(Set.of(Roles.REVIEWER, Roles.VIEWER)::contains));
        assertFalse(Roles.reviewerOnly(Set.of(Roles.REVIEWER, Roles.ENGINEER)::contains));
        assertFalse(Roles.reviewerOnly(Set.of(Roles.REVIEWER, Roles.ADMIN)::contains));
        assertFalse(Roles.reviewerOnly(Set.of(Roles.REVIEWER, Roles.SERVICE)::contains));
        assertFalse(Roles.reviewerOnly(Set.of(Roles.VIEWER)::contains));
    }
}
