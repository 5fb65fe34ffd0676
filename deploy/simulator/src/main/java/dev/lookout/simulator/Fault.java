package dev.lookout.simulator;

import java.util.Locale;

/** Failure injected into a chat completion request. */
enum Fault {
    NONE, RATE_LIMITED, SERVER_ERROR, HANG;

    static final String FORCE_HEADER = "X-Sim-Fail";

    /** The value of the {@value #FORCE_HEADER} header: {@code 429}, {@code 500} or {@code hang}. */
    static Fault forced(String header) {
        return switch (header.trim().toLowerCase(Locale.ROOT)) {
            case "429" -> RATE_LIMITED;
            case "500" -> SERVER_ERROR;
            case "hang" -> HANG;
            default -> throw new IllegalArgumentException(FORCE_HEADER + " must be 429, 500 or hang");
        };
    }
}
