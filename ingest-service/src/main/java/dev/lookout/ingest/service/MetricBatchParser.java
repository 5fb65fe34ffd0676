package dev.lookout.ingest.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import dev.lookout.ingest.repository.MetricRepository;

import java.io.IOException;
import java.io.InputStream;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a {@code POST /metrics} body, {@code {"points": [{"name", "step", "value", "wallTime"?}, …]}}, with
 * Jackson's streaming parser straight into a {@link PointSink}: no record per point, no boxing, so the points
 * reach PostgreSQL while the rest of the body is still being read.
 *
 * <p>Accepted like the data-bound form did: {@code value} as a number, a bare {@code NaN}/{@code Infinity}, or
 * a string holding a number or {@code "NaN"}/{@code "Infinity"}/{@code "-Infinity"}; {@code step} as a whole
 * number (or a string holding one); {@code wallTime} as an ISO-8601 instant or epoch seconds; unknown fields
 * ignored. A value of the wrong JSON type is answered with 400 naming {@code points[i].field} and the index;
 * a point that is readable but invalid (no name, negative step, missing value) with 422 naming the index (up to
 * {@link #MAX_PROBLEMS} of them); more than {@code maxPoints} points with 413, as soon as the limit is passed.
 * After the first problem no more points go to the sink, and the caller's transaction is rolled back: all or
 * nothing.
 */
public final class MetricBatchParser {

    public static final int MAX_PROBLEMS = 50;

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    private final int maxPoints;
    private final Map<String, String> names = new HashMap<>(); // raw → normalised, one String instance per name
    private final List<BadInputException.Problem> problems = new ArrayList<>();

    public MetricBatchParser(int maxPoints) {
        this.maxPoints = maxPoints;
    }

    /** Parses the body into the sink; throws {@link BadInputException} (400/413/422) on bad input. */
    public void parse(InputStream body, PointSink sink) {
        try (JsonParser p = JSON.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                throw shape("the body must be {\"points\": [...]}", t == null ? "points" : "body", "must be an object with a points array");
            }
            boolean sawPoints = false;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                t = p.nextToken();
                if ("points".equals(field)) {
                    if (t == JsonToken.VALUE_NULL) {
                        continue;
                    }
                    if (t != JsonToken.START_ARRAY) {
                        throw shape("points must be an array", "points", "wrong type or unreadable value");
                    }
                    sawPoints = true;
                    readPoints(p, sink);
                    if (problems.size() >= MAX_PROBLEMS) {
                        throw invalid(); // enough to say; the rest of the body is not read
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new BadInputException(400, "the JSON body could not be read: malformed JSON (line "
                        + p.currentLocation().getLineNr() + ")", List.of(new BadInputException.Problem(null,
                        (long) p.currentLocation().getLineNr(), null, null, "malformed JSON")));
            }
            if (!sawPoints) {
                throw shape("the body must be {\"points\": [...]}", "points", "must not be null");
            }
        } catch (JsonParseException e) {
            long line = e.getLocation() != null ? e.getLocation().getLineNr() : 1;
            throw new BadInputException(400, "the JSON body could not be read: malformed JSON (line " + line
                    + (e.getLocation() != null ? ", column " + e.getLocation().getColumnNr() : "") + ")",
                    List.of(new BadInputException.Problem(null, line, null, null, "malformed JSON")));
        } catch (IOException e) {
            throw new BadInputException(400, "the JSON body could not be read",
                    List.of(BadInputException.Problem.atField("points", "unreadable body")));
        }
        if (!problems.isEmpty()) {
            throw invalid();
        }
    }

    private BadInputException invalid() {
        return new BadInputException(422, problems.size() == 1
                ? "point " + problems.get(0).index() + " is invalid: " + problems.get(0).message() + "; nothing was stored"
                : problems.size() + (problems.size() >= MAX_PROBLEMS ? " or more" : "") + " points are invalid; nothing was stored",
                problems);
    }

    private static BadInputException shape(String detail, String field, String message) {
        return new BadInputException(400, detail, List.of(BadInputException.Problem.atField(field, message)));
    }

    private void readPoints(JsonParser p, PointSink sink) throws IOException {
        int index = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new JsonParseException(p, "unexpected end of input inside points");
            }
            if (index >= maxPoints) {
                throw new BadInputException(413, "a batch holds at most " + maxPoints + " points, this one more; nothing was stored",
                        List.of(BadInputException.Problem.atField("points", "too many points")));
            }
            if (t == JsonToken.VALUE_NULL) {
                problem(index, "point is null");
            } else if (t != JsonToken.START_OBJECT) {
                throw wrongType(index, null);
            } else {
                readPoint(p, index, sink);
            }
            if (problems.size() >= MAX_PROBLEMS) {
                return;
            }
            index++;
        }
    }

    /** One point's fields as read so far; a step or value of the wrong kind is remembered, not thrown. */
    private static final class PointDraft {
        String name;
        long step = -1;
        boolean hasStep;
        boolean stepInvalid;
        double value;
        boolean hasValue;
        long wall = PointSink.NO_WALL;
    }

    private void readPoint(JsonParser p, int index, PointSink sink) throws IOException {
        PointDraft d = new PointDraft();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "name" -> d.name = readName(p, t, index);
                case "step" -> readStep(p, t, index, d);
                case "value" -> readValue(p, t, index, d);
                case "wallTime" -> d.wall = wallTime(p, t, index);
                default -> p.skipChildren();
            }
        }
        if (d.name == null || d.name.isBlank() || d.name.length() > 200) {
            problem(index, "name must be 1 to 200 characters");
        } else if (!d.hasStep || d.stepInvalid || d.step < 0) {
            problem(index, "step must be a whole number >= 0");
        } else if (!d.hasValue) {
            problem(index, "value is missing (use \"NaN\" for a NaN loss)");
        } else if (problems.isEmpty()) {
            sink.add(names.computeIfAbsent(d.name, MetricNames::normalise), d.step, d.value, d.wall);
        }
    }

    private static String readName(JsonParser p, JsonToken t, int index) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t != JsonToken.VALUE_NULL) {
            throw wrongType(index, "name");
        }
        return null;
    }

    private static void readStep(JsonParser p, JsonToken t, int index, PointDraft d) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            try {
                d.step = p.getLongValue();
            } catch (InputCoercionException e) {
                throw wrongType(index, "step");
            }
            d.hasStep = true;
        } else if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            double v = p.getDoubleValue();
            d.hasStep = true;
            if (v == Math.rint(v) && v >= 0 && v < 9.0e18) {
                d.step = (long) v;
            } else {
                d.stepInvalid = true;
            }
        } else if (t == JsonToken.VALUE_STRING) {
            try {
                d.step = Long.parseLong(p.getText().trim());
                d.hasStep = true;
            } catch (NumberFormatException e) {
                throw wrongType(index, "step");
            }
        } else if (t != JsonToken.VALUE_NULL) {
            throw wrongType(index, "step");
        }
    }

    private static void readValue(JsonParser p, JsonToken t, int index, PointDraft d) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
            d.value = p.getDoubleValue();
            d.hasValue = true;
        } else if (t == JsonToken.VALUE_STRING) {
            d.value = number(p.getText(), index);
            d.hasValue = true;
        } else if (t != JsonToken.VALUE_NULL) {
            throw wrongType(index, "value");
        }
    }

    private static long wallTime(JsonParser p, JsonToken t, int index) throws IOException {
        try {
            if (t == JsonToken.VALUE_STRING) {
                return inRange(Instant.parse(p.getText().trim()), index);
            }
            if (t == JsonToken.VALUE_NUMBER_INT) {
                return inRange(Instant.ofEpochSecond(p.getLongValue()), index);
            }
            if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                double secs = p.getDoubleValue();
                if (!Double.isFinite(secs)) {
                    throw wrongType(index, "wallTime");
                }
                long whole = (long) Math.floor(secs);
                return inRange(Instant.ofEpochSecond(whole, (long) ((secs - whole) * 1e9)), index);
            }
        } catch (DateTimeException | InputCoercionException | ArithmeticException e) {
            throw wrongType(index, "wallTime");
        }
        if (t == JsonToken.VALUE_NULL) {
            return PointSink.NO_WALL;
        }
        throw wrongType(index, "wallTime");
    }

    /** Years 1 to 9999: anything else is not a wall time a training job wrote (and PostgreSQL may not hold it). */
    private static long inRange(Instant t, int index) {
        if (t.isBefore(FIRST) || t.isAfter(LAST)) {
            throw wrongType(index, "wallTime");
        }
        return MetricRepository.micros(t);
    }

    private static final Instant FIRST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LAST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private static double number(String raw, int index) {
        String s = raw.trim();
        switch (s.toLowerCase(Locale.ROOT)) {
            case "nan":
                return Double.NaN;
            case "infinity", "+infinity", "inf":
                return Double.POSITIVE_INFINITY;
            case "-infinity", "-inf":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        if (s.isEmpty() || !(Character.isDigit(s.charAt(0)) || "+-.".indexOf(s.charAt(0)) >= 0)) {
            throw wrongType(index, "value");
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw wrongType(index, "value");
        }
    }

    private void problem(int index, String message) {
        problems.add(BadInputException.Problem.atIndex(index, message));
    }

    private static BadInputException wrongType(int index, String field) {
        String path = "points[" + index + "]" + (field == null ? "" : "." + field);
        return new BadInputException(400, "the JSON body could not be read: wrong type or unreadable value at " + path
                + "; nothing was stored", List.of(new BadInputException.Problem(path, null, index, null, "wrong type or unreadable value")));
    }
}
