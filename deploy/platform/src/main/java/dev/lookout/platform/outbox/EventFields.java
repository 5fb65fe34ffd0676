package dev.lookout.platform.outbox;

import java.util.LinkedHashMap;

/**
 * An event's own fields in the order they are added; unlike {@code Map.of} it keeps nulls, which the contracts
 * use for "not known" ({@code "runId": null}).
 */
public final class EventFields extends LinkedHashMap<String, Object> {

    private static final long serialVersionUID = 1L;

    public static EventFields of() {
        return new EventFields();
    }

    /** Adds (or replaces) one field and returns this, to chain. */
    public EventFields with(String name, Object value) {
        put(name, value);
        return this;
    }
}
