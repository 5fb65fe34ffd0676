package dev.lookout.proberunner.notify;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.vertx.core.json.JsonObject;

/**
 * What one event tells a webhook: its type and ids, the run and checkpoint it concerns (names where known), a short
 * human summary, and event-specific details. {@link #body(String, String)} renders it in a webhook's format.
 */
public record Notification(String type, UUID eventId, String occurredAt, String project, String summary, UUID runId,
        String runName, UUID checkpointId, Long step, UUID probeRunId, Map<String, Object> details) {

    public Notification {
        details = details == null ? Map.of() : new LinkedHashMap<>(details);
    }

    /**
     * The body sent to a webhook of {@code format}: {@code json} = the whole notification, {@code slack} = a
     * Slack-compatible {@code {"text": ...}} for incoming webhooks. {@code publicUrl} (may be null) builds the link to
     * the run's round report.
     */
    public String body(String format, String publicUrl) {
        String link = link(publicUrl);
        if (Webhook.SLACK.equals(format)) {
            StringBuilder text = new StringBuilder("[Lookout · ").append(slackEscape(project)).append("] ")
                    .append(slackEscape(summary));
            if (link != null) {
                text.append(" <").append(link).append("|").append(runId == null ? "Lookout" : "Round report")
                        .append(">");
            }
            return new JsonObject().put("text", text.toString()).encode();
        }
        JsonObject body = new JsonObject().put("type", type).put("eventId", eventId.toString())
                .put("occurredAt", occurredAt).put("project", project).put("summary", summary);
        body.put("run", runId == null ? null : new JsonObject().put("id", runId.toString()).put("name", runName));
        body.put("checkpoint", checkpointId == null && step == null ? null
                : new JsonObject().put("id", checkpointId == null ? null : checkpointId.toString()).put("step", step));
        body.put("probeRunId", probeRunId == null ? null : probeRunId.toString());
        body.put("link", link);
        body.put("details", new JsonObject(details));
        return body.encode();
    }

    /** The round report of the run ({@code <publicUrl>/#/runs/<runId>}), Lookout's home without a run, or null. */
    String link(String publicUrl) {
        if (publicUrl == null || publicUrl.isBlank()) {
            return null;
        }
        String base = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        return runId == null ? base + "/" : base + "/#/runs/" + runId;
    }

    /** Slack's three control characters in message text. */
    static String slackEscape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** The run as people name it: 'name' when known, else its id. */
    String runLabel() {
        return runName != null ? "'" + runName + "'" : runId != null ? runId.toString() : "(no run)";
    }
}
