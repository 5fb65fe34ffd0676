package dev.lookout.review.config;

/** Realm roles (CONTRACTS: READ, WRITE and VOTE lists are spelled out on each resource method). */
public final class Roles {
    public static final String VIEWER = "viewer";
    public static final String REVIEWER = "reviewer";
    public static final String ENGINEER = "engineer";
    public static final String ADMIN = "admin";
    public static final String SERVICE = "service";

    private Roles() {
    }
}
