package dev.lookout.ingest.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Opaque keyset cursors: base64url of {@code <kind>:<fields>}. A cursor names the last item of a page; the next
 * page starts after it. A cursor of another list or one that does not decode is answered with 422 naming
 * {@code after}.
 */
public final class Cursors {

    private Cursors() {
    }

    public static String encode(String kind, Object... fields) {
        StringBuilder sb = new StringBuilder(kind);
        for (Object f : fields) {
            sb.append(':').append(f instanceof Instant t ? micros(t) : String.valueOf(f));
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The fields of a cursor of that kind and arity; 422 otherwise. */
    public static String[] decode(String cursor, String kind, int fields) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = s.split(":", -1);
            if (parts.length == fields + 1 && parts[0].equals(kind)) {
                String[] out = new String[fields];
                System.arraycopy(parts, 1, out, 0, fields);
                return out;
            }
        } catch (IllegalArgumentException e) {
            throw bad();
        }
        throw bad();
    }

    public static long longField(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw bad();
        }
    }

    public static UUID uuidField(String s) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            throw bad();
        }
    }

    public static Instant instantField(String s) {
        long micros = longField(s);
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    static BadInputException bad() {
        return new BadInputException(422, "after is not a cursor of this list (use the next cursor of the previous page)",
                List.of(BadInputException.Problem.atField("after", "not a cursor of this list")));
    }

    /** limit as given in the query (null: the default), checked to be a whole number in 1..max; 422 otherwise. */
    public static int limit(String raw, int defaultLimit, int max) {
        if (raw == null || raw.isBlank()) {
            return defaultLimit;
        }
        String s = raw.trim();
        if (s.matches("[0-9]{1,9}")) {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= max) {
                return n;
            }
        }
        throw new BadInputException(422, "limit must be a whole number from 1 to " + max + ", not '" + abbreviate(raw) + "'",
                List.of(BadInputException.Problem.atField("limit", "must be a whole number from 1 to " + max)));
    }

    private static String abbreviate(String s) {
        return s.length() <= 20 ? s : s.substring(0, 20) + "…";
    }
}
