package dev.lookout.contracts;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The CI gate on published schemas: every {@code events/<type>.vN.schema.json} is compared with its entry in
 * schemas.lock. An incompatible change fails ("make a v<N+1>"); a compatible one fails until the lock is updated with
 * {@value #UPDATE} (which refuses to record incompatible changes).
 */
class SchemasLockTest {

    static final String UPDATE = "./mvnw -B -ntp -pl deploy/contracts test -Dcontracts.update-lock=true";

    @Test
    void shouldKeepEveryPublishedSchemaCompatibleWithTheLock() throws Exception {
        Path dir = Path.of(System.getProperty("contracts.dir", "."));
        Path lockFile = dir.resolve("schemas.lock");
        Map<String, SchemasLock.Entry> locked = SchemasLock.read(lockFile);
        Map<String, SchemasLock.Entry> current = SchemasLock.current(dir);
        List<String> incompatible = new ArrayList<>();
        List<String> unrecorded = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(locked.keySet());
        keys.addAll(current.keySet());
        for (String key : keys) {
            SchemasLock.Entry was = locked.get(key);
            SchemasLock.Entry now = current.get(key);
            if (now == null) {
                incompatible.add(key + " is published (in schemas.lock) but its schema file is gone; keep it while"
                        + " producers may send it, and remove its lock entry by hand when retiring it");
            } else if (was == null) {
                unrecorded.add(key + " is new");
            } else {
                List<String> breaks = Compatibility.breaks(was.surface(), now.surface());
                breaks.forEach(b -> incompatible.add(key + ": " + b + " -> make a " + next(key)));
                if (breaks.isEmpty() && !was.sha256().equals(now.sha256())) {
                    unrecorded.add(key + " changed compatibly");
                }
            }
        }
        if (!incompatible.isEmpty()) {
            fail("incompatible change of a published event schema:\n  " + String.join("\n  ", incompatible)
                    + "\nA published <type>.v<N> never changes incompatibly: make a v<N+1> (a new schema file, examples,"
                    + " asyncapi.yaml message; producers send version N+1) and keep v<N> while consumers need it.");
        }
        if (!unrecorded.isEmpty()) {
            if (Boolean.getBoolean("contracts.update-lock")) {
                SchemasLock.write(lockFile, current);
                return;
            }
            fail("schemas.lock is out of date:\n  " + String.join("\n  ", unrecorded) + "\nRecord it with: " + UPDATE);
        }
    }

    /** {@code alarm.raised.v1} → {@code alarm.raised.v2}. */
    static String next(String key) {
        int dot = key.lastIndexOf(".v");
        return key.substring(0, dot) + ".v" + (Integer.parseInt(key.substring(dot + 2)) + 1);
    }
}
