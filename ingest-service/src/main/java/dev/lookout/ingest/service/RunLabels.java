package dev.lookout.ingest.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.ingest.config.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Bounds a run's labels (lookout.ingest.labels.*): how many, how long a key, how long a value (a value that is not
 * a string counts as its JSON text). Labels travel with every run in lists and reports, so they stay small.
 */
@ApplicationScoped
public class RunLabels {

    private static final int SHOWN_KEY_CHARS = 64;

    private final IngestConfig.Labels limits;
    private final ObjectMapper json;

    public RunLabels(IngestConfig config, ObjectMapper json) {
        this.limits = config.labels();
        this.json = json;
    }

    /** Throws 422 naming each label (as field {@code labels.<key>}) that is over a limit; null means no labels. */
    public void check(Map<String, Object> labels) {
        if (labels == null) {
            return;
        }
        if (labels.size() > limits.maxCount()) {
            throw new BadInputException(422, "a run has at most " + limits.maxCount() + " labels, this one " + labels.size(),
                    List.of(BadInputException.Problem.atField("labels", "more than " + limits.maxCount() + " labels")));
        }
        List<BadInputException.Problem> problems = new ArrayList<>();
        for (var e : labels.entrySet()) {
            String key = e.getKey();
            String field = "labels." + shown(key);
            if (key.length() > limits.maxKeyChars()) {
                problems.add(BadInputException.Problem.atField(field, "the key is longer than " + limits.maxKeyChars()
                        + " characters"));
            }
            int length = length(e.getValue());
            if (length > limits.maxValueChars()) {
                problems.add(BadInputException.Problem.atField(field, "the value is longer than " + limits.maxValueChars()
                        + " characters (" + length + ")"));
            }
        }
        if (!problems.isEmpty()) {
            BadInputException.Problem first = problems.get(0);
            throw new BadInputException(422, "label " + first.field().substring("labels.".length()) + ": " + first.message()
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""), problems);
        }
    }

    private int length(Object value) {
        if (value == null) {
            return 0;
        }
        if (value instanceof String s) {
            return s.length();
        }
        try {
            return json.writeValueAsString(value).length();
        } catch (JsonProcessingException e) {
            return Integer.MAX_VALUE;
        }
    }

    private static String shown(String key) {
        return key.length() <= SHOWN_KEY_CHARS ? key : key.substring(0, SHOWN_KEY_CHARS) + "…";
    }
}
