package dev.lookout.gateway.proxy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RouteTableTest {

    @ParameterizedTest
    @CsvSource({
            "/api/runs, INGEST", "/api/runs/, INGEST", "/api/runs/abc/logs, INGEST",
            "/api/suites, PROBE_RUNNER", "/api/endpoints/e/health, PROBE_RUNNER",
            "/api/probe-runs/p/cancel, PROBE_RUNNER", "/api/comparisons, PROBE_RUNNER",
            "/api/reviews/next, REVIEW", "/api/review-batches, REVIEW", "/api/verdicts, REVIEW",
            "/api/exports/preferences, REVIEW",
            "/api/projects/demo/alarm-thresholds, INGEST", "/api/projects/demo/comparison-settings, PROBE_RUNNER",
            "/api/projects/team-a_1/comparison-settings, PROBE_RUNNER", "/api/projects/demo/quotas, PROBE_RUNNER",
            "/api/projects/demo/runs/sft-v3, INGEST",
            "/api/projects/demo/webhooks, PROBE_RUNNER", "/api/projects/demo/webhooks/5e0c, PROBE_RUNNER",
            "/api/projects/demo/webhooks/5e0c/test, PROBE_RUNNER",
            "/api/projects/demo/webhooks/5e0c/deliveries, PROBE_RUNNER"})
    void shouldRouteEachResourceToItsOwner(String path, Upstream owner) {
        assertEquals(Optional.of(owner), RouteTable.resolve(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/me", "/api/rounds/x", "/api/live", "/api", "/api/", "/", "/q/health",
            "/api/runsx", "/api/run", "/apis/runs", "/api/runs/../me", "/api/runs/%2e%2e/x", "/api//runs",
            "/api/reviews/..", "/api/runs/a\\b"})
    void shouldNotRouteAnythingElse(String path) {
        assertEquals(Optional.empty(), RouteTable.resolve(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/projects", "/api/projects/", "/api/projects/demo",
            "/api/projects/demo/", "/api/projects/demo/runs", "/api/projects//alarm-thresholds",
            "/api/projects/demo/alarm-thresholds/", "/api/projects/demo/alarm-thresholds/x",
            "/api/projects/demo/comparison-settings/../alarm-thresholds", "/api/projects/alarm-thresholds",
            "/api/projects/demo/alarm-thresholdsx", "/api/projects/demo/runs/", "/api/projects/demo/runs/a/b",
            "/api/projects//runs/x", "/api/projects/demo/quotas/x", "/api/projects/demo/webhooks/",
            "/api/projects/demo/webhooks//test", "/api/projects/demo/webhooks/a/b/c",
            "/api/projects//webhooks", "/api/projects/demo/webhooks/../quotas"})
    void shouldRouteOnlyTheTwoProjectSettings(String path) {
        assertEquals(Optional.empty(), RouteTable.resolve(path));
        assertEquals(true, RouteTable.isProjectsPath(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/projectsx", "/api/runs/projects", "/api/me"})
    void shouldKnowWhatIsNotUnderProjects(String path) {
        assertEquals(false, RouteTable.isProjectsPath(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/runs", "/api/suites", "/api/endpoints", "/api/probe-runs", "/api/comparisons",
            "/api/reviews", "/api/review-batches", "/api/verdicts", "/api/exports"})
    void shouldDocumentEveryPrefix(String prefix) {
        assertEquals(true, RouteTable.PREFIXES.contains(prefix));
        assertEquals(true, RouteTable.resolve(prefix).isPresent());
    }
}
