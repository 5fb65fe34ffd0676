package dev.lookout.platform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one problem+json shape (RFC 9457) every Lookout service answers with. {@code type} and {@code title} follow
 * from the status alone ({@code https://lookout.dev/problems/<slug>}), so a client can branch on either and every
 * service agrees; {@code detail} says what was wrong in words, {@code instance} is the request path, and
 * {@code errors} (optional) says where, one {@link FieldError} per problem. Services may add extension members
 * (for example the existing run's {@code id} on a 409); the standard members are always written first.
 */
public final class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://lookout.dev/problems/";

    private Problems() {
    }

    /** The problem type URI of a status, e.g. 404 → {@code https://lookout.dev/problems/not-found}. */
    public static String type(int status) {
        return TYPE_BASE + slug(status);
    }

    static String slug(int status) {
        return switch (status) {
            case 400 -> "bad-request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 408 -> "request-timeout";
            case 409 -> "conflict";
            case 413 -> "too-large";
            case 415 -> "unsupported-media-type";
            case 422 -> "unprocessable";
            case 429 -> "too-many-requests";
            case 500 -> "internal-error";
            case 502 -> "bad-gateway";
            case 503 -> "service-unavailable";
            case 504 -> "gateway-timeout";
            default -> "status-" + status;
        };
    }

    /** The short title of a status, the same in every service. */
    public static String title(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 406 -> "Not acceptable";
            case 408 -> "Request timeout";
            case 409 -> "Conflict";
            case 413 -> "Too large";
            case 415 -> "Unsupported media type";
            case 422 -> "Unprocessable input";
            case 429 -> "Too many requests";
            case 500 -> "Internal error";
            case 502 -> "Bad gateway";
            case 503 -> "Service unavailable";
            case 504 -> "Gateway timeout";
            default -> status >= 500 ? "Server error" : "Request refused";
        };
    }

    /** The body: type, title, status, detail, instance (when known) and errors (when any), in that order. */
    public static Map<String, Object> body(int status, String detail, String instance, List<FieldError> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type(status));
        body.put("title", title(status));
        body.put("status", status);
        body.put("detail", detail == null || detail.isBlank() ? title(status) : detail);
        if (instance != null) {
            body.put("instance", instance);
        }
        if (errors != null && !errors.isEmpty()) {
            body.put("errors", errors.stream().map(FieldError::toMap).toList());
        }
        return body;
    }

    /**
     * Where one problem is: a {@code field} (a JSON path such as {@code targets[1].model}, or a parameter name), a
     * {@code line}/{@code column} of an uploaded text, the {@code index} of an item in a batch, a byte {@code offset};
     * each optional, {@code message} always there.
     */
    public record FieldError(String field, Long line, Long column, Integer index, Long offset, String message) {

        public static FieldError field(String field, String message) {
            return new FieldError(field, null, null, null, null, message);
        }

        public static FieldError at(Long line, Long column, String message) {
            return new FieldError(null, line, column, null, null, message);
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            putIfSet(m, "field", field);
            putIfSet(m, "line", line);
            putIfSet(m, "column", column);
            putIfSet(m, "index", index);
            putIfSet(m, "offset", offset);
            m.put("message", message == null ? "invalid" : message);
            return m;
        }

        private static void putIfSet(Map<String, Object> m, String key, Object value) {
            if (value != null) {
                m.put(key, value);
            }
        }
    }
}
