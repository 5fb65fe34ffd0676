package dev.lookout.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code blocks of the root README that a test runs as written: a fenced block right after a marker line
 * {@code <!-- quickstart:NAME -->}, returned by name in README order.
 */
final class ReadmeBlocks {
    private static final Pattern BLOCK = Pattern.compile(
            "^<!-- quickstart:([a-z-]+) -->\\n```[a-z]*\\n(.*?)^```$", Pattern.MULTILINE | Pattern.DOTALL);
    private static final Pattern EXPORT = Pattern.compile("([A-Z_]+)=\\S+");

    private ReadmeBlocks() {
    }

    static Map<String, String> quickstart(Path readme) {
        String text;
        try {
            text = Files.readString(readme, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> blocks = new LinkedHashMap<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            if (blocks.put(m.group(1), m.group(2)) != null) {
                throw new IllegalStateException("two README blocks are marked quickstart:" + m.group(1));
            }
        }
        return blocks;
    }

    /** The quickstart's blocks of these names, in this order, joined into one bash script that stops at the first error. */
    static String script(Map<String, String> blocks, List<String> names) {
        StringBuilder script = new StringBuilder("set -euo pipefail\n");
        for (String name : names) {
            String block = blocks.get(name);
            if (block == null) {
                throw new IllegalStateException("the README has no block marked quickstart:" + name + " (has " + blocks.keySet() + ")");
            }
            script.append("# --- quickstart:").append(name).append('\n').append(block);
        }
        return script.toString();
    }

    /** The variables an {@code export A=1 B=2 # comment} block sets. */
    static Set<String> exported(String envBlock) {
        Set<String> names = new LinkedHashSet<>();
        for (String line : envBlock.lines().toList()) {
            String code = line.replaceFirst("\\s+#.*$", "").strip();
            if (code.isEmpty()) {
                continue;
            }
            if (!code.startsWith("export ")) {
                throw new IllegalStateException("the env block may only export variables: " + line);
            }
            Matcher m = EXPORT.matcher(code.substring("export ".length()));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
