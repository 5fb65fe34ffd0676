package dev.lookout.contracts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rule for changing a published {@code <type>.vN} schema: consumers written against the old one must keep
 * working on events that match the new one. Allowed: new optional fields, dropped enum values, new descriptions.
 * Anything else (a field removed or renamed, a type, format or const changed, a field that becomes required or stops
 * being required, a new required field, a new enum value) needs a new version.
 */
final class Compatibility {

    private Compatibility() {
    }

    /** Why {@code next} breaks consumers of {@code published}; empty when it is a compatible change. */
    static List<String> breaks(SchemaSurface published, SchemaSurface next) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, SchemaSurface.Field> e : published.fields().entrySet()) {
            String path = e.getKey();
            SchemaSurface.Field was = e.getValue();
            SchemaSurface.Field now = next.fields().get(path);
            if (now == null) {
                out.add("field " + path + " was removed (or renamed)");
                continue;
            }
            if (!was.types().equals(now.types())) {
                out.add("field " + path + " changed type from " + was.types() + " to " + now.types());
            }
            if (was.required() && !now.required()) {
                out.add("field " + path + " is no longer required");
            }
            if (!was.required() && now.required()) {
                out.add("field " + path + " became required");
            }
            if (!same(was.format(), now.format())) {
                out.add("field " + path + " changed format from " + was.format() + " to " + now.format());
            }
            if (!same(was.constant(), now.constant())) {
                out.add("field " + path + " changed const from " + was.constant() + " to " + now.constant());
            }
            enumChange(path, was.enumValues(), now.enumValues(), out);
        }
        for (Map.Entry<String, SchemaSurface.Field> e : next.fields().entrySet()) {
            String path = e.getKey();
            String parent = path.substring(0, path.lastIndexOf('/'));
            boolean parentPublished = parent.isEmpty() || published.fields().containsKey(parent);
            if (!published.fields().containsKey(path) && e.getValue().required() && parentPublished) {
                out.add("new field " + path + " is required (add it as optional, or make a new version)");
            }
        }
        return out;
    }

    private static void enumChange(String path, Set<String> was, Set<String> now, List<String> out) {
        if (was == null) {
            return; // newly restricted: consumers see a subset of what they handled
        }
        if (now == null) {
            out.add("field " + path + " is no longer restricted to " + was);
            return;
        }
        Set<String> added = new TreeSet<>(now);
        added.removeAll(was);
        if (!added.isEmpty()) {
            out.add("field " + path + " has new values " + added + " that consumers do not expect");
        }
    }

    private static boolean same(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }
}
