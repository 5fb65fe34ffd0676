package dev.lookout.gateway.proxy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which backend owns which resource. Pure: {@link #resolve(String)} maps a request path to its
 * upstream, or empty when the gateway answers itself ({@code /api/me}, {@code /api/rounds/**}, {@code /api/live})
 * or nobody does. Under {@code /api/projects} only per-project settings are routed: {@code alarm-thresholds}
 * (ingest-service), {@code comparison-settings} and {@code quotas} (probe-runner), a project's run by name,
 * {@code /api/projects/{key}/runs/{name}} (ingest-service: get-or-create), and its webhooks,
 * {@code /api/projects/{key}/webhooks/**} (probe-runner).
 */
public final class RouteTable {

    /** resource name (first segment after /api/) → owner. */
    static final Map<String, Upstream> OWNERS = Map.ofEntries(
            Map.entry("runs", Upstream.INGEST),
            Map.entry("suites", Upstream.PROBE_RUNNER),
            Map.entry("endpoints", Upstream.PROBE_RUNNER),
            Map.entry("probe-runs", Upstream.PROBE_RUNNER),
            Map.entry("comparisons", Upstream.PROBE_RUNNER),
            Map.entry("reviews", Upstream.REVIEW),
            Map.entry("review-batches", Upstream.REVIEW),
            Map.entry("verdicts", Upstream.REVIEW),
            Map.entry("exports", Upstream.REVIEW));

    /** Prefixes in a stable order, for documentation and tests. */
    public static final List<String> PREFIXES = List.of("/api/runs", "/api/suites", "/api/endpoints",
            "/api/probe-runs", "/api/comparisons", "/api/reviews", "/api/review-batches", "/api/verdicts",
            "/api/exports");

    /** The resource under which per-project settings live; only the settings below are routed. */
    public static final String PROJECTS = "projects";

    /** {@code /api/projects/{key}/<setting>} → owner of that setting. Anything else under /api/projects is 404. */
    static final Map<String, Upstream> PROJECT_SETTINGS = Map.of(
            "alarm-thresholds", Upstream.INGEST,
            "comparison-settings", Upstream.PROBE_RUNNER,
            "quotas", Upstream.PROBE_RUNNER,
            "rubric", Upstream.REVIEW,
            "review-settings", Upstream.REVIEW);

    private RouteTable() {
    }

    /**
     * @param path the raw request path (no query)
     * @return the owning upstream when the path is {@code /api/<resource>} or {@code /api/<resource>/…}
     */
    public static Optional<Upstream> resolve(String path) {
        if (path == null || !path.startsWith("/api/")) {
            return Optional.empty();
        }
        // Never route paths that try to climb out of their resource; the backends would normalise them.
        if (path.contains("/../") || path.endsWith("/..") || path.contains("/./") || path.contains("//")
                || path.contains("%2e") || path.contains("%2E") || path.contains("\\")) {
            return Optional.empty();
        }
        String rest = path.substring("/api/".length());
        int slash = rest.indexOf('/');
        String resource = slash < 0 ? rest : rest.substring(0, slash);
        if (PROJECTS.equals(resource)) {
            return projectSetting(rest);
        }
        return Optional.ofNullable(OWNERS.get(resource));
    }

    /** True for {@code /api/projects} and everything under it (routed or not: the rest answers 404). */
    public static boolean isProjectsPath(String path) {
        return path != null && (path.equals("/api/" + PROJECTS) || path.startsWith("/api/" + PROJECTS + "/"));
    }

    /** Under {@code /api/projects/{key}/}, runs by name: {@code runs/{name}} exactly. */
    static final Map<String, Upstream> PROJECT_NAMED = Map.of("runs", Upstream.INGEST);

    /**
     * Under {@code /api/projects/{key}/}, collections routed with up to two segments below them:
     * {@code webhooks}, {@code webhooks/{id}}, {@code webhooks/{id}/test|deliveries} (probe-runner).
     */
    static final Map<String, Upstream> PROJECT_COLLECTIONS = Map.of("webhooks", Upstream.PROBE_RUNNER);

    /** The paths under /api/projects that exist, for the 404 that answers any other. */
    static String projectPaths() {
        java.util.List<String> paths = new java.util.ArrayList<>();
        PROJECT_SETTINGS.keySet().stream().sorted().forEach(s -> paths.add("/api/projects/{key}/" + s));
        PROJECT_NAMED.keySet().stream().sorted().forEach(s -> paths.add("/api/projects/{key}/" + s + "/{name}"));
        PROJECT_COLLECTIONS.keySet().stream().sorted().forEach(s -> paths.add("/api/projects/{key}/" + s + "[/{id}[/…]]"));
        return String.join(", ", paths);
    }

    /** {@code projects/{key}/<setting>} or {@code projects/{key}/runs/{name}}, exactly. */
    private static Optional<Upstream> projectSetting(String rest) {
        String[] segments = rest.split("/", -1);
        if (segments.length >= 3 && segments.length <= 5 && PROJECT_COLLECTIONS.containsKey(segments[2])
                && java.util.Arrays.stream(segments).noneMatch(String::isEmpty)) {
            return Optional.of(PROJECT_COLLECTIONS.get(segments[2]));
        }
        if (segments.length == 4 && !segments[1].isEmpty() && !segments[3].isEmpty()) {
            return Optional.ofNullable(PROJECT_NAMED.get(segments[2]));
        }
        if (segments.length != 3 || segments[1].isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(PROJECT_SETTINGS.get(segments[2]));
    }
}
