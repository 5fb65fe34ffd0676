package dev.lookout.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * schemas.lock: per published {@code <type>.vN} the SHA-256 of its canonical schema (keys sorted, no whitespace) and
 * the {@link SchemaSurface} consumers rely on, so a change can be judged against what was published without git.
 */
final class SchemasLock {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    record Entry(String sha256, SchemaSurface surface) {
    }

    private SchemasLock() {
    }

    /** The schemas in {@code <contracts>/events}, keyed {@code <type>.vN}. */
    static Map<String, Entry> current(Path contractsDir) throws IOException {
        Map<String, Entry> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(contractsDir.resolve("events"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".schema.json")).sorted().toList()) {
                JsonNode schema = MAPPER.readTree(file.toFile());
                String key = file.getFileName().toString().replace(".schema.json", "");
                out.put(key, new Entry(hash(schema), SchemaSurface.of(schema)));
            }
        }
        return out;
    }

    static Map<String, Entry> read(Path lock) throws IOException {
        Map<String, Entry> out = new TreeMap<>();
        if (!Files.exists(lock)) {
            return out;
        }
        JsonNode root = MAPPER.readTree(lock.toFile());
        root.fields().forEachRemaining(e -> out.put(e.getKey(), new Entry(e.getValue().path("sha256").asText(),
                SchemaSurface.fromJson(e.getValue().path("fields")))));
        return out;
    }

    static void write(Path lock, Map<String, Entry> entries) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        new TreeMap<>(entries).forEach((key, entry) -> {
            ObjectNode o = root.putObject(key);
            o.put("sha256", entry.sha256());
            o.set("fields", entry.surface().toJson(MAPPER));
        });
        Files.writeString(lock, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n",
                StandardCharsets.UTF_8);
    }

    static String hash(JsonNode schema) {
        try {
            Object tree = CANONICAL.treeToValue(schema, Object.class);
            byte[] canonical = CANONICAL.writeValueAsBytes(tree);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
