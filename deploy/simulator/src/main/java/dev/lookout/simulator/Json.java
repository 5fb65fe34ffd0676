package dev.lookout.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.vertx.core.buffer.Buffer;

import java.util.Map;
import java.util.Objects;

/** The one shared Jackson mapper and its few helpers. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private Json() {
    }

    static Buffer encode(Object value) {
        try {
            return Buffer.buffer(MAPPER.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** Parses a request body; malformed JSON becomes an {@link IllegalArgumentException} with a client-safe message. */
    static JsonNode parse(Buffer body) {
        try {
            return MAPPER.readTree(body.getBytes());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("unreadable body");
        }
    }

    static <T> T convert(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (ValueInstantiationException e) {
            throw new IllegalArgumentException(e.getCause() != null ? e.getCause().getMessage() : e.getOriginalMessage());
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException("unknown field '" + e.getPropertyName() + "'");
        } catch (JsonMappingException e) {
            String field = e.getPath().stream().map(JsonMappingException.Reference::getFieldName)
                    .filter(Objects::nonNull).findFirst().orElse("?");
            throw new IllegalArgumentException("invalid value for '" + field + "'");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON");
        }
    }
}
