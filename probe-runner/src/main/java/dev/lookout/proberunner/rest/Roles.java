package dev.lookout.proberunner.rest;

/** Realm roles (CONTRACTS "Security model"). */
public final class Roles {
    public static final String VIEWER = "viewer";
    public static final String REVIEWER = "reviewer";
    public static final String ENGINEER = "engineer";
    public static final String ADMIN = "admin";
    public static final String SERVICE = "service";

    private Roles() {
    }
}
