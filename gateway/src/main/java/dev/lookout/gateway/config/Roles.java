package dev.lookout.gateway.config;

import java.util.function.Predicate;

/** Realm roles (CONTRACTS "Security model"). The backends enforce WRITE and VOTE themselves. */
public final class Roles {
    public static final String VIEWER = "viewer";
    public static final String REVIEWER = "reviewer";
    public static final String ENGINEER = "engineer";
    public static final String ADMIN = "admin";
    public static final String SERVICE = "service";

    private Roles() {
    }

    /**
     * A reviewer who is neither engineer, admin nor service (viewer or not): kept blind to what an open review batch
     * covers (comparisons, outputs, live verdicts), so that nothing tells them which side of a task is the candidate.
     */
    public static boolean reviewerOnly(Predicate<String> hasRole) {
        return hasRole.test(REVIEWER) && !hasRole.test(ENGINEER) && !hasRole.test(ADMIN) && !hasRole.test(SERVICE);
    }
}
