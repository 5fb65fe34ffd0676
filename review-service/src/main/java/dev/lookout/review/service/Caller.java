package dev.lookout.review.service;

import dev.lookout.review.entity.ReviewBatch;

import java.util.Set;

/**
 * Who is calling: principal name, projects from the `groups` claim, whether they see every project, and whether they
 * must stay blind — a reviewer who is neither engineer, admin nor service, so that nothing they can read tells them
 * which side of a task is the candidate while its batch is open.
 */
public record Caller(String name, Set<String> projects, boolean seesAll, boolean blind) {

    public Caller(String name, Set<String> projects, boolean seesAll) {
        this(name, projects, seesAll, false);
    }

    public boolean canSee(String project) {
        return project != null && (seesAll || projects.contains(project));
    }

    /**
     * A batch (its targets, probe run and verdict): in the caller's projects, and closed when the caller is blind.
     * An unreadable batch answers 404 like a missing one.
     */
    public boolean canRead(String project, String batchStatus) {
        return canSee(project) && !(blind && !ReviewBatch.CLOSED.equals(batchStatus));
    }
}
