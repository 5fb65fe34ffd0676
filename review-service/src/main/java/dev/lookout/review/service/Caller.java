package dev.lookout.review.service;

import java.util.Set;

/** Who is calling: principal name, projects from the `groups` claim, and whether they see every project. */
public record Caller(String name, Set<String> projects, boolean seesAll) {

    public boolean canSee(String project) {
        return project != null && (seesAll || projects.contains(project));
    }
}
