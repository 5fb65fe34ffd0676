package dev.lookout.platform;

import java.util.function.Predicate;

/**
 * The realm roles of the {@code lookout} realm and the rules every service derives from them. Viewer reads; reviewer
 * also votes; engineer manages runs, checkpoints, suites, endpoints and probe runs; admin manages everything;
 * service is for internal service accounts. Each resource method spells out its own {@code @RolesAllowed} list.
 */
public final class Roles {

    public static final String VIEWER = "viewer";
    public static final String REVIEWER = "reviewer";
    public static final String ENGINEER = "engineer";
    public static final String ADMIN = "admin";
    public static final String SERVICE = "service";

    private Roles() {
    }

    /** Admin and service see every project; everyone else only the projects of their token's groups. */
    public static boolean seesAllProjects(Predicate<String> hasRole) {
        return hasRole.test(ADMIN) || hasRole.test(SERVICE);
    }

    /**
     * A reviewer who is neither engineer, admin nor service (viewer or not): kept blind to what an open review batch
     * covers (comparisons, outputs, live verdicts), so that nothing tells them which side of a task is the candidate.
     */
    public static boolean reviewerOnly(Predicate<String> hasRole) {
        return hasRole.test(REVIEWER) && !hasRole.test(ENGINEER) && !seesAllProjects(hasRole);
    }
}
