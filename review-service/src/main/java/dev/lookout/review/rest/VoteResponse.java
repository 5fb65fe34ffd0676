package dev.lookout.review.rest;

import dev.lookout.review.entity.Vote;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

public record VoteResponse(UUID voteId, UUID taskId, String choice, List<String> tags, String comment,
                           Instant createdAt) {

    static VoteResponse from(Vote vote) {
        return new VoteResponse(vote.id, vote.assignmentId, vote.choice, vote.tags, vote.comment, vote.createdAt);
    }
}
