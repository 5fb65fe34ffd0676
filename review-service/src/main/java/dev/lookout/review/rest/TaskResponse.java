package dev.lookout.review.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lookout.review.service.ReviewService;
import dev.lookout.review.service.RubricTag;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A blind task: an opaque task id, the prompt and two texts by screen position. Never target names, labels, which
 * side is which, nor an id (batch, probe run, item) that leads to the targets.
 */
public record TaskResponse(UUID taskId, List<Map<String, Object>> messages, Text a, Text b,
                           List<RubricTag> rubric, Progress progress, Instant leasedUntil,
                           @JsonInclude(JsonInclude.Include.NON_NULL) PreviousVote previousVote) {

    /** The vote the caller withdrew on this task, by screen position (A/B as they chose it). */
    public record PreviousVote(String choice, List<String> tags, String comment) {
    }

    public record Text(String text) {
    }

    public record Progress(long reviewed, long total) {
    }

    static TaskResponse from(ReviewService.Task task) {
        return new TaskResponse(task.taskId(), task.item().messages,
                new Text(task.item().textA), new Text(task.item().textB), task.rubric(),
                new Progress(task.reviewed(), task.total()), task.leasedUntil(),
                task.previousVote() == null ? null : new PreviousVote(task.previousVote().choice,
                        task.previousVote().tags == null ? List.of() : task.previousVote().tags,
                        task.previousVote().comment));
    }
}
