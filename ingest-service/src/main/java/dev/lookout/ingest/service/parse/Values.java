package dev.lookout.ingest.service.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;

import java.io.CharConversionException;
import java.io.IOException;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;

/** Shared pieces of the JSON-based parsers: the lenient factory and number reading. */
final class Values {

    /** Python's json module writes bare NaN / Infinity / -Infinity. */
    static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS)
            .build();

    /** Keys whose value must be a number when present and not null. */
    static final Set<String> KNOWN_METRICS = Set.of("loss", "eval_loss", "grad_norm", "learning_rate", "lr", "epoch");

    private Values() {
    }

    /** Marker for "present but not a number" (strings like "0:05:17", objects, booleans). */
    static final class NotANumber {
        final String shown;

        NotANumber(String shown) {
            this.shown = shown;
        }
    }

    /**
     * Reads the value at the current token. Returns a Double, null (JSON null) or NotANumber; skips
     * objects and arrays.
     */
    static Object readValue(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDoubleValue();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.VALUE_STRING) {
            String s = p.getText();
            OptionalDouble d = parseNumber(s);
            return d.isPresent() ? (Object) d.getAsDouble() : new NotANumber('"' + abbreviate(s) + '"');
        }
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            p.skipChildren();
            return new NotANumber(t == JsonToken.START_OBJECT ? "an object" : "an array");
        }
        return new NotANumber(p.getText());
    }

    /** Numbers written as strings: "0.00", "1e-4", "NaN", "nan", "inf", "-Infinity". */
    static OptionalDouble parseNumber(String raw) {
        String s = raw.trim();
        if (s.isEmpty()) {
            return OptionalDouble.empty();
        }
        switch (s.toLowerCase(Locale.ROOT)) {
            case "nan", "+nan", "-nan":
                return OptionalDouble.of(Double.NaN);
            case "inf", "+inf", "infinity", "+infinity":
                return OptionalDouble.of(Double.POSITIVE_INFINITY);
            case "-inf", "-infinity":
                return OptionalDouble.of(Double.NEGATIVE_INFINITY);
            default:
                break;
        }
        char c = s.charAt(0);
        if (!(Character.isDigit(c) || c == '-' || c == '+' || c == '.')) {
            return OptionalDouble.empty();
        }
        try {
            return OptionalDouble.of(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    /** Converts low-level read failures into a LogParseException naming the line. */
    static LogParseException syntaxError(IOException e, long fallbackLine) {
        if (e instanceof JsonParseException jpe) {
            long line = jpe.getLocation() != null ? jpe.getLocation().getLineNr() : fallbackLine;
            return new LogParseException(Math.max(line, fallbackLine), "malformed JSON: " + cleanMessage(jpe.getOriginalMessage()), true);
        }
        if (e instanceof CharConversionException) {
            return new LogParseException(fallbackLine, "the body is not UTF-8 text", true);
        }
        return new LogParseException(fallbackLine, "the body could not be read", true);
    }

    private static String cleanMessage(String message) {
        if (message == null) {
            return "unreadable JSON";
        }
        int cut = message.indexOf("\n");
        String m = cut >= 0 ? message.substring(0, cut) : message;
        int src = m.indexOf(" (start marker at");
        return src >= 0 ? m.substring(0, src) : m;
    }
}
