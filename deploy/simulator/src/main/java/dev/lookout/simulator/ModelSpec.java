package dev.lookout.simulator;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A simulated model: {@code demo-base}, {@code demo-noadapter} (an adapter that was not applied: answers exactly
 * like demo-base) or {@code demo-ckpt-<step>}, each optionally with the suffix {@code -think}.
 */
record ModelSpec(int step, boolean think) {

    static final List<String> LISTED =
            List.of("demo-base", "demo-ckpt-200", "demo-ckpt-400", "demo-ckpt-600", "demo-noadapter");

    private static final Pattern NAME = Pattern.compile("demo-(?:base|noadapter|ckpt-(\\d{1,9}))(-think)?");

    static Optional<ModelSpec> parse(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        int step = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
        return Optional.of(new ModelSpec(step, m.group(2) != null));
    }
}
