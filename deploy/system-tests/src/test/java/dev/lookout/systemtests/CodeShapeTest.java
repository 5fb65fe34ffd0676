package dev.lookout.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.StaticJavaParser;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.ImportDeclaration;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shape rule for main code: no method or constructor longer than {@value #MAX_LINES} lines (declaration to
 * closing brace). Methods that were longer when the rule came in are listed, with their length then, in
 * {@code code-shape/long-methods.txt}; they may shrink or go, never grow, and nothing new joins them. The report
 * prints every method over the limit, so the list can be worked down. Imports are kept honest too: no wildcard
 * imports and no import the file never names. And the layout a formatter would keep: no tab, no trailing
 * whitespace, no line over {@value #MAX_COLUMNS} characters (code wraps at 120; the margin is for long literals).
 */
class CodeShapeTest {

    static final int MAX_LINES = 60;
    static final int MAX_COLUMNS = 150;
    private static final List<String> MODULES = List.of("ingest-service", "probe-runner", "review-service", "gateway",
            "deploy/simulator", "deploy/platform", "deploy/contracts");

    @Test
    void noMainMethodGrowsPastTheLimit() throws IOException {
        Map<String, Integer> found = longMethods(repoRoot());
        Map<String, Integer> known = knownLongMethods();
        List<String> problems = new ArrayList<>();
        found.forEach((method, lines) -> {
            Integer before = known.get(method);
            if (before == null) {
                problems.add(method + " has " + lines + " lines (limit " + MAX_LINES + "): split it");
            } else if (lines > before) {
                problems.add(method + " grew from " + before + " to " + lines + " lines: split it");
            }
        });
        System.out.printf("[code-shape] %d main methods over %d lines (%d known when the rule came in):%n",
                found.size(), MAX_LINES, known.size());
        found.forEach((method, lines) -> System.out.printf("[code-shape]   %4d  %s%n", lines, method));
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyImportIsExplicitAndUsed() throws IOException {
        Path root = repoRoot();
        List<String> problems = new ArrayList<>();
        for (Path file : mainSources(root)) {
            problems.addAll(importProblems(root.relativize(file).toString(), Files.readString(file)));
        }
        assertTrue(problems.isEmpty(), problems.size() + " import problems:\n" + String.join("\n", problems));
    }

    @Test
    void theImportRuleSeesWildcardsAndUnusedImports() {
        String source = "import java.util.*;\nimport java.util.List;\nimport java.util.Map;\n"
                + "import static java.util.Objects.requireNonNull;\nclass A { List<String> a; /** {@link Map} */ }\n";
        assertEquals(List.of("A.java: wildcard import java.util.*",
                "A.java: unused import static java.util.Objects.requireNonNull"), importProblems("A.java", source));
    }

    @Test
    void everyLineIsLaidOutAlike() throws IOException {
        Path root = repoRoot();
        List<String> problems = new ArrayList<>();
        for (Path file : mainSources(root)) {
            problems.addAll(layoutProblems(root.relativize(file).toString(), Files.readString(file)));
        }
        assertTrue(problems.isEmpty(), problems.size() + " layout problems:\n" + String.join("\n", problems));
    }

    @Test
    void theLayoutRuleSeesTabsTrailingBlanksAndLongLines() {
        String source = "class A {\n\tint a;\n    int b; \n    String c = \"" + "x".repeat(MAX_COLUMNS) + "\";\n}\n";
        assertEquals(List.of("A.java:2: tab", "A.java:3: trailing whitespace",
                "A.java:4: " + (MAX_COLUMNS + 18) + " characters (at most " + MAX_COLUMNS + ")"),
                layoutProblems("A.java", source));
    }

    /** Tabs, trailing whitespace and lines longer than {@value #MAX_COLUMNS} characters, by line number. */
    static List<String> layoutProblems(String file, String source) {
        List<String> problems = new ArrayList<>();
        List<String> lines = source.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String where = file + ":" + (i + 1) + ": ";
            if (line.indexOf('\t') >= 0) {
                problems.add(where + "tab");
            }
            if (!line.isEmpty() && Character.isWhitespace(line.charAt(line.length() - 1))) {
                problems.add(where + "trailing whitespace");
            }
            if (line.length() > MAX_COLUMNS) {
                problems.add(where + line.length() + " characters (at most " + MAX_COLUMNS + ")");
            }
        }
        return problems;
    }

    /** Wildcard imports, and imports whose simple name never appears in the file outside the imports (Javadoc counts). */
    static List<String> importProblems(String file, String source) {
        CompilationUnit unit = parse(source);
        int bodyStart = unit.getImports().stream().mapToInt(i -> i.getRange().map(r -> r.end.line).orElse(0))
                .max().orElse(0);
        String body = source.lines().skip(bodyStart).collect(Collectors.joining("\n"));
        List<String> problems = new ArrayList<>();
        for (ImportDeclaration imp : unit.getImports()) {
            String name = imp.getNameAsString();
            String shown = (imp.isStatic() ? "static " : "") + name + (imp.isAsterisk() ? ".*" : "");
            if (imp.isAsterisk()) {
                problems.add(file + ": wildcard import " + shown);
            } else if (!Pattern.compile("\\b" + Pattern.quote(name.substring(name.lastIndexOf('.') + 1)) + "\\b")
                    .matcher(body).find()) {
                problems.add(file + ": unused import " + shown);
            }
        }
        return problems;
    }

    @Test
    void theRuleSeesRealMethods() throws IOException {
        // Guards the check itself: a parser or path mistake would find nothing and pass everything.
        CompilationUnit unit = parse("class A {\n void shortOne() {\n }\n void longOne() {\n"
                + "  int x = 0;\n".repeat(MAX_LINES) + " }\n}\n");
        Map<String, Integer> lengths = new TreeMap<>();
        collect("A.java", unit, lengths, MAX_LINES);
        assertTrue(lengths.size() == 1 && lengths.get("A.java#A.longOne()") == MAX_LINES + 2, lengths.toString());
        long files = countMainSources(repoRoot());
        assertTrue(files > 100, "only " + files + " main source files found");
    }

    static Map<String, Integer> longMethods(Path root) throws IOException {
        Map<String, Integer> out = new TreeMap<>();
        for (Path file : mainSources(root)) {
            String name = root.relativize(file).toString();
            collect(name, parse(Files.readString(file)), out, MAX_LINES);
        }
        return out;
    }

    private static void collect(String file, CompilationUnit unit, Map<String, Integer> out, int over) {
        for (CallableDeclaration<?> callable : unit.findAll(CallableDeclaration.class)) {
            int lines = callable.getRange().map(r -> r.end.line - r.begin.line + 1).orElse(0);
            if (lines > over) {
                out.put(file + "#" + owner(callable) + "." + signature(callable), lines);
            }
        }
    }

    private static String owner(CallableDeclaration<?> callable) {
        return callable.findAncestor(TypeDeclaration.class).map(t -> t.getNameAsString()).orElse("?");
    }

    private static String signature(CallableDeclaration<?> callable) {
        return callable.getNameAsString() + callable.getParameters().stream()
                .map(p -> p.getType().asString()).collect(Collectors.joining(",", "(", ")"));
    }

    private static CompilationUnit parse(String source) {
        StaticJavaParser.getParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17);
        return StaticJavaParser.parse(source);
    }

    private static List<Path> mainSources(Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String module : MODULES) {
            Path dir = root.resolve(module).resolve("src/main/java");
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.filter(p -> p.toString().endsWith(".java")).sorted().forEach(files::add);
            }
        }
        return files;
    }

    private static long countMainSources(Path root) throws IOException {
        return mainSources(root).size();
    }

    private static Map<String, Integer> knownLongMethods() throws IOException {
        Map<String, Integer> known = new TreeMap<>();
        try (var in = CodeShapeTest.class.getResourceAsStream("/code-shape/long-methods.txt")) {
            assertNotNull(in, "code-shape/long-methods.txt is missing");
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                String row = line.strip();
                if (row.isEmpty() || row.startsWith("#")) {
                    continue;
                }
                String[] parts = row.split("\\s+", 2);
                known.put(parts[1], Integer.parseInt(parts[0]));
            }
        }
        return known;
    }

    private static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("deploy/k8s"))) {
            dir = dir.getParent();
        }
        assertNotNull(dir, "repository root not found above " + Path.of("").toAbsolutePath());
        return dir;
    }
}
