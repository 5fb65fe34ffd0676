package dev.lookout.ingest.service;

import java.util.List;

/** One page of a keyset-paged list: the items and the cursor of the next page (null on the last page). */
public record Page<T>(List<T> items, String next) {

    /** From limit + 1 fetched rows: the extra row only says that there is a next page. */
    public static <T> Page<T> of(List<T> fetched, int limit, java.util.function.Function<T, String> cursor) {
        if (fetched.size() <= limit) {
            return new Page<>(fetched, null);
        }
        List<T> items = fetched.subList(0, limit);
        return new Page<>(List.copyOf(items), cursor.apply(items.get(limit - 1)));
    }
}
