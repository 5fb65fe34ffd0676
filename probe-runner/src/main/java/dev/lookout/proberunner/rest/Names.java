package dev.lookout.proberunner.rest;

/** Rules for the names users give endpoints and suites. */
public final class Names {

    /** 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit (no '/'). */
    public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,99}";

    private Names() {
    }
}
