package dev.lookout.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The event contracts of {@code deploy/contracts} as the services' tests use them: producers check what they publish
 * with {@link #assertValid}, consumers feed {@link #examples} (optionally with {@link #exampleWith} to put their own
 * ids in) through their real consumer path. Everything is read from the classpath ({@value #ROOT}); nothing is
 * fetched. The schemas are closed ({@code additionalProperties: false}): a producer may send only declared fields.
 */
public final class EventContracts {

    public static final String ROOT = "lookout/contracts/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true).build();
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    /** One event type and version as listed in asyncapi.yaml, with the exchange it is published on. */
    public record Event(String type, int version, String exchange) {
        public String key() {
            return type + ".v" + version;
        }
    }

    private EventContracts() {
    }

    /** Every event message of asyncapi.yaml, in document order. */
    public static List<Event> events() {
        JsonNode doc = readYaml(ROOT + "asyncapi.yaml");
        List<Event> events = new ArrayList<>();
        for (JsonNode channel : iterable(doc.path("channels"))) {
            String exchange = channel.path("bindings").path("amqp").path("exchange").path("name").asText();
            for (JsonNode ref : iterable(channel.path("messages"))) {
                String name = ref.path("$ref").asText().replace("#/components/messages/", "");
                JsonNode message = doc.path("components").path("messages").path(name);
                String schema = message.path("payload").path("schema").path("$ref").asText();
                String file = schema.substring(schema.lastIndexOf('/') + 1).replace(".schema.json", "");
                int dot = file.lastIndexOf(".v");
                events.add(new Event(file.substring(0, dot), Integer.parseInt(file.substring(dot + 2)), exchange));
            }
        }
        return events;
    }

    /**
     * Event types the exchange carries according to asyncapi.yaml (latest and older versions alike): what a
     * producer's contract test must cover.
     */
    public static List<String> typesOn(String exchange) {
        return events().stream().filter(e -> e.exchange().equals(exchange))
                .map(Event::type).distinct().toList();
    }

    /** The exchange an event type is published on. */
    public static String exchangeOf(String type) {
        return events().stream().filter(e -> e.type().equals(type)).map(Event::exchange).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no event type " + type + " in asyncapi.yaml"));
    }

    /** The schema document events/{type}.v{version}.schema.json. */
    public static JsonNode schemaDocument(String type, int version) {
        return readJson(ROOT + "events/" + type + ".v" + version + ".schema.json");
    }

    /**
     * What is wrong with one published event body (empty when it matches its schema). The schema is chosen by the
     * body's own {@code type} and {@code version}.
     */
    public static List<String> problems(String body) {
        JsonNode event = parse(body);
        String type = event.path("type").asText(null);
        int version = event.path("version").asInt(-1);
        if (type == null || version < 1) {
            return List.of("the event has no type and version: " + body);
        }
        if (resource(ROOT + "events/" + type + ".v" + version + ".schema.json") == null) {
            return List.of("no schema events/" + type + ".v" + version + ".schema.json for this event: " + body);
        }
        JsonSchema schema = SCHEMAS.computeIfAbsent(type + ".v" + version,
                k -> FACTORY.getSchema(schemaDocument(type, version), CONFIG));
        List<String> problems = new ArrayList<>();
        for (ValidationMessage m : schema.validate(event)) {
            problems.add(type + ".v" + version + ": " + m.getMessage());
        }
        Collections.sort(problems);
        return problems;
    }

    /** Fails with every schema violation of the body, naming the event. */
    public static void assertValid(String body) {
        List<String> problems = problems(body);
        if (!problems.isEmpty()) {
            throw new AssertionError("event does not match its contract: " + problems + "\n" + body);
        }
    }

    /** The examples of an event type and version: file name without .json → body, sorted by name. */
    public static Map<String, String> examples(String type, int version) {
        Map<String, String> examples = new TreeMap<>();
        for (String file : list(ROOT + "examples/" + type + ".v" + version)) {
            if (file.endsWith(".json")) {
                examples.put(file.substring(0, file.length() - 5),
                        text(ROOT + "examples/" + type + ".v" + version + "/" + file));
            }
        }
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no examples for " + type + ".v" + version);
        }
        return examples;
    }

    /** One example body. */
    public static String example(String type, int version, String name) {
        String body = examples(type, version).get(name);
        if (body == null) {
            throw new IllegalArgumentException("no example " + name + " of " + type + ".v" + version);
        }
        return body;
    }

    /**
     * An example with some values replaced, for tests that need their own ids or names in it. Keys are field paths
     * ({@code target.endpoint}); every one must already exist in the example, so a renamed field fails the consumer's
     * test instead of silently adding the old name.
     */
    public static String exampleWith(String type, int version, String name, Map<String, ?> values) {
        ObjectNode event = (ObjectNode) parse(example(type, version, name));
        for (Map.Entry<String, ?> e : values.entrySet()) {
            String[] path = e.getKey().split("\\.");
            JsonNode parent = event;
            for (int i = 0; i < path.length - 1; i++) {
                parent = parent.path(path[i]);
            }
            if (!(parent instanceof ObjectNode object) || !object.has(path[path.length - 1])) {
                throw new IllegalArgumentException("example " + name + " of " + type + ".v" + version
                        + " has no field " + e.getKey() + ": did the contract change?");
            }
            object.set(path[path.length - 1], e.getValue() == null ? NullNode.getInstance() : JSON.valueToTree(e.getValue()));
        }
        return event.toString();
    }

    /** File names directly inside a classpath folder (from a jar or a directory). */
    static List<String> list(String folder) {
        URL url = resource(folder);
        if (url == null) {
            return List.of();
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                try {
                    fs = FileSystems.getFileSystem(uri);
                } catch (FileSystemNotFoundException e) {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                }
                return names(fs.getPath(folder));
            }
            return names(Path.of(uri));
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot list " + folder + ": " + e.getMessage(), e);
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return new ArrayList<>(files.map(p -> p.getFileName().toString().replace("/", ""))
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
        }
    }

    /** The body as a Jackson tree (IllegalArgumentException when it is not JSON). */
    public static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode readJson(String path) {
        return parse(text(path));
    }

    private static JsonNode readYaml(String path) {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(text(path));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(path + " is not YAML: " + e.getOriginalMessage(), e);
        }
    }

    private static String text(String path) {
        URL url = resource(path);
        if (url == null) {
            throw new IllegalArgumentException("no " + path + " on the classpath (test dependency dev.lookout:contracts?)");
        }
        try (InputStream in = url.openStream()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static URL resource(String path) {
        return EventContracts.class.getClassLoader().getResource(path);
    }

    private static Iterable<JsonNode> iterable(JsonNode node) {
        List<JsonNode> values = new ArrayList<>();
        Iterator<JsonNode> it = node.elements();
        it.forEachRemaining(values::add);
        return values;
    }

    /** An ordered map from alternating keys and values for {@link #exampleWith}; unlike Map.of it takes null values. */
    public static Map<String, Object> values(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
