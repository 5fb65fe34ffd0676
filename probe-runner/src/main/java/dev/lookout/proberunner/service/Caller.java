package dev.lookout.proberunner.service;

import java.util.Set;

/** Which projects a caller may see; {@code all} for admin, service accounts and internal (event) callers. */
public record Caller(boolean all, Set<String> projects) {

    public static final Caller SYSTEM = new Caller(true, Set.of());

    public boolean canSee(String project) {
        return all || projects.contains(project);
    }

    /** Throws the same 404 as for a missing resource. */
    public void requireProject(String project) {
        if (!canSee(project)) {
            throw new NotFoundException("project not found: " + project);
        }
    }
}
