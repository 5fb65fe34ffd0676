package dev.lookout.proberunner.notify;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.vertx.core.json.JsonObject;

/**
 * Pure mapping from the events Lookout publishes to webhook notifications (type, ids, names, a short summary and the
 * event's details). {@code runName} is the run's name when known (null: the summary names the id).
 */
public final class EventNotifications {

    private EventNotifications() {
    }

    /** alarm.raised (ingest-service). */
    public static Notification alarm(JsonObject e, String runName) {
        Map<String, Object> details = pick(e, "alarmId", "kind", "severity", "series", "fromStep", "toStep", "message");
        String steps = e.getValue("fromStep") == null ? "" : " at steps " + e.getValue("fromStep")
                + (e.getValue("toStep") == null || e.getValue("toStep").equals(e.getValue("fromStep")) ? ""
                        : "–" + e.getValue("toStep"));
        Notification n = base(e, WebhookEventTypes.ALARM_RAISED, runName, null, null, details, "");
        String summary = "Alarm on run " + n.runLabel() + ": " + lower(e.getString("severity")) + " "
                + e.getString("kind", "alarm") + (e.getString("series") == null ? "" : " on " + e.getString("series"))
                + steps + (e.getString("message") == null ? "" : " — " + e.getString("message"));
        return withSummary(n, summary);
    }

    /** probe-run.completed (probe-runner's own event: the run completed). */
    public static Notification probeRunCompleted(JsonObject e, String runName) {
        Map<String, Object> details = pick(e, "suiteVersionId", "candidate", "baseline", "total", "errors");
        details.put("status", "completed");
        Notification n = base(e, WebhookEventTypes.PROBE_RUN_COMPLETED, runName, uuid(e, "probeRunId"), null, details,
                "");
        String summary = probeRun(n) + " completed: " + e.getValue("total", "?") + " answers, "
                + e.getValue("errors", 0) + " errors" + pair(e);
        return withSummary(n, summary);
    }

    /** A probe run that failed (to start, or because every call to a target failed); no event is published for it. */
    public static Notification probeRunFailed(UUID eventId, String project, UUID probeRunId, UUID runId, String runName,
            UUID checkpointId, Long step, String reason) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("status", "failed");
        details.put("failureReason", reason);
        Notification n = new Notification(WebhookEventTypes.PROBE_RUN_COMPLETED, eventId,
                java.time.Instant.now().toString(), project, "", runId, runName, checkpointId, step, probeRunId,
                details);
        return withSummary(n, probeRun(n) + " failed: " + DeliveryQueue.shorten(reason, 300));
    }

    /** review-batch.opened (review-service) → review.needed; null for a batch with nothing to review. */
    public static Notification reviewNeeded(JsonObject e, String runName) {
        Object items = e.getValue("items");
        if (items instanceof Number count && count.longValue() == 0) {
            return null;
        }
        Map<String, Object> details = pick(e, "batchId", "against", "baselineStep", "items", "candidate", "baseline",
                "suiteVersionId");
        Notification n = base(e, WebhookEventTypes.REVIEW_NEEDED, runName, uuid(e, "probeRunId"), null, details, "");
        String against = "previous".equals(e.getString("against")) && e.getValue("baselineStep") != null
                ? "step " + e.getValue("baselineStep") : "the baseline";
        String summary = "Review needed: " + (items == null ? "" : items + " answers of ") + about(n)
                + " against " + against + pair(e);
        return withSummary(n, summary);
    }

    /** verdict.updated (review-service), sent only when the verdict turns decided. */
    public static Notification verdictDecided(JsonObject e, String runName) {
        Map<String, Object> details = pick(e, "batchId", "candidate", "baseline", "wins", "ties", "losses", "bothBad",
                "votes", "winRate", "low", "high", "decided");
        Notification n = base(e, WebhookEventTypes.VERDICT_UPDATED, runName, uuid(e, "probeRunId"), null, details, "");
        Double rate = e.getValue("winRate") instanceof Number r ? r.doubleValue() : null;
        String ci = e.getValue("low") instanceof Number lo && e.getValue("high") instanceof Number hi
                ? String.format(Locale.ROOT, " (95%% CI %.0f–%.0f%%)", lo.doubleValue() * 100, hi.doubleValue() * 100)
                : "";
        String summary = "Verdict decided for " + about(n) + ": "
                + (rate == null ? "no win rate" : (rate >= 0.5 ? "the candidate wins " : "the baseline wins; candidate ")
                        + String.format(Locale.ROOT, "%.0f%%", rate * 100) + ci)
                + " over " + e.getValue("votes", 0) + " votes" + pair(e);
        return withSummary(n, summary);
    }

    private static Notification base(JsonObject e, String type, String runName, UUID probeRunId, UUID checkpointId,
            Map<String, Object> details, String summary) {
        Long step = e.getValue("step") instanceof Number s ? s.longValue() : null;
        return new Notification(type, uuid(e, "eventId"), e.getString("occurredAt"), e.getString("project"), summary,
                uuid(e, "runId"), runName, checkpointId != null ? checkpointId : uuid(e, "checkpointId"), step,
                probeRunId, details);
    }

    private static Notification withSummary(Notification n, String summary) {
        return new Notification(n.type(), n.eventId(), n.occurredAt(), n.project(), DeliveryQueue.shorten(summary, 600),
                n.runId(), n.runName(), n.checkpointId(), n.step(), n.probeRunId(), n.details());
    }

    /** "run 'sft-7' at step 400", "probe run <id>" or "a review batch": what a notification is about. */
    private static String about(Notification n) {
        if (n.runId() != null) {
            return "run " + n.runLabel() + (n.step() == null ? "" : " at step " + n.step());
        }
        return n.probeRunId() == null ? "a review batch" : "probe run " + n.probeRunId();
    }

    /** "Probe run of run 'sft-7' at step 400" or "Probe run <id>" (a manual run). */
    private static String probeRun(Notification n) {
        return n.runId() != null ? "Probe run of " + about(n) : "Probe run " + n.probeRunId();
    }

    /** " (sim/ckpt-400 vs sim/base)" when the event names both targets. */
    private static String pair(JsonObject e) {
        String c = target(e.getValue("candidate"));
        String b = target(e.getValue("baseline"));
        return c == null || b == null ? "" : " (" + c + " vs " + b + ")";
    }

    private static String target(Object value) {
        if (value instanceof JsonObject o && o.getString("endpoint") != null) {
            return o.getString("endpoint") + "/" + o.getString("model");
        }
        return value instanceof String s ? s : null;
    }

    private static Map<String, Object> pick(JsonObject e, String... fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String f : fields) {
            if (e.containsKey(f)) {
                Object v = e.getValue(f);
                out.put(f, v instanceof JsonObject o ? o.getMap() : v);
            }
        }
        return out;
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    static UUID uuid(JsonObject e, String field) {
        String v = e.getValue(field) == null ? null : e.getValue(field).toString();
        return v == null || v.isBlank() ? null : UUID.fromString(v);
    }
}
