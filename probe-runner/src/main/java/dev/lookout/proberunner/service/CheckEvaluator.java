package dev.lookout.proberunner.service;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import dev.lookout.proberunner.domain.CheckResult;
import dev.lookout.proberunner.domain.ProbeCheck;

/**
 * Deterministic checks on one answer. Pure (compiled regexes and schemas are kept in small bounded LRU caches keyed
 * by their source). Nothing a user writes can make a check slow or reach out: regexes are RE2 (time linear in the
 * text: no catastrophic backtracking), a check reads at most the first {@code maxChars} characters of an answer
 * (length checks count the whole answer), and JSON schemas are validated with no I/O (see {@link SchemaGuard}).
 *
 * <table>
 * <tr><th>type</th><th>value</th><th>passes when the answer …</th></tr>
 * <tr><td>contains / icontains</td><td>string</td><td>contains it (icontains: ignoring case)</td></tr>
 * <tr><td>contains-any / contains-all (icontains-…)</td><td>[string]</td><td>contains any / all of them</td></tr>
 * <tr><td>equals</td><td>string</td><td>equals it (both trimmed)</td></tr>
 * <tr><td>starts-with</td><td>string</td><td>starts with it (leading whitespace ignored)</td></tr>
 * <tr><td>regex</td><td>string (RE2 syntax: no backreferences or lookaround)</td><td>has a match (find, not whole-text)</td></tr>
 * <tr><td>min-length / max-length</td><td>int</td><td>has at least / at most that many characters (code points: a CJK
 * character counts as one)</td></tr>
 * <tr><td>is-json</td><td>none, or a JSON schema</td><td>parses as JSON (a fenced ```json block is accepted) and, with
 * a schema, validates</td></tr>
 * <tr><td>json-schema</td><td>JSON schema (object or its JSON text; draft 2020-12 unless {@code $schema} says
 * otherwise)</td><td>parses as JSON and validates</td></tr>
 * <tr><td>one-of</td><td>[string]</td><td>equals one of them (trimmed)</td></tr>
 * <tr><td>model-graded</td><td>anything</td><td>never evaluated here (imported llm-rubric etc.): result null</td></tr>
 * </table>
 * Every type except model-graded also exists as {@code not-<type>} (not-contains, not-regex, …), which negates it.
 */
public final class CheckEvaluator {

    public static final String MODEL_GRADED = "model-graded";

    private static final Set<String> BASE_TYPES = Set.of("contains", "icontains", "contains-any", "contains-all",
            "icontains-any", "icontains-all", "equals", "starts-with", "regex", "min-length", "max-length", "is-json",
            "json-schema", "one-of");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Default of {@code lookout.checks.max-text-chars}: a check reads at most this many characters of an answer. */
    public static final int DEFAULT_MAX_CHARS = 65_536;
    /** Compiled regexes and schemas kept (least recently used dropped first). */
    static final int CACHE_SIZE = 512;
    /** The only loader is {@link SchemaGuard#LOADER}: bundled meta-schemas, nothing fetched, ever. */
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            b -> b.schemaLoaders(loaders -> loaders.values(list -> {
                list.clear();
                list.add(SchemaGuard.LOADER);
            })));
    private static final Map<String, Pattern> PATTERNS = lru();
    private static final Map<String, JsonSchema> COMPILED = lru();
    /** Our own fixed pattern (not user input): java.util.regex. */
    private static final java.util.regex.Pattern FENCE = java.util.regex.Pattern
            .compile("^```(?:json)?\\s*\\n?(.*?)\\n?```$", java.util.regex.Pattern.DOTALL);

    private CheckEvaluator() {
    }

    /** Problems of a probe's checks as (check index, message); empty when all are valid. */
    public static List<Map.Entry<Integer, String>> validate(List<ProbeCheck> checks) {
        List<Map.Entry<Integer, String>> problems = new ArrayList<>();
        if (checks == null) {
            return problems;
        }
        for (int i = 0; i < checks.size(); i++) {
            String problem = problem(checks.get(i));
            if (problem != null) {
                problems.add(Map.entry(i, problem));
            }
        }
        return problems;
    }

    static String problem(ProbeCheck check) {
        String type = check.type();
        if (MODEL_GRADED.equals(type)) {
            return null;
        }
        String base = type.startsWith("not-") ? type.substring(4) : type;
        if (!BASE_TYPES.contains(base)) {
            return "unknown check type '" + type + "' (known: " + String.join(", ", BASE_TYPES.stream().sorted()
                    .toList()) + ", their not- forms, " + MODEL_GRADED + ")";
        }
        Object v = check.value();
        try {
            switch (base) {
                case "contains", "icontains", "equals", "starts-with" -> {
                    if (!(v instanceof String)) {
                        return type + " needs a string value";
                    }
                }
                case "regex" -> {
                    if (!(v instanceof String s)) {
                        return "regex needs a string value";
                    }
                    pattern(s);
                }
                case "contains-any", "contains-all", "icontains-any", "icontains-all", "one-of" -> {
                    if (strings(v) == null) {
                        return type + " needs a non-empty list of strings";
                    }
                }
                case "min-length", "max-length" -> {
                    if (!(v instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() != Math.floor(n.doubleValue())) {
                        return type + " needs a non-negative integer value";
                    }
                }
                case "json-schema" -> {
                    if (v == null) {
                        return "json-schema needs a schema";
                    }
                    schema(v);
                }
                case "is-json" -> {
                    if (v != null) {
                        schema(v);
                    }
                }
                default -> {
                    return null;
                }
            }
        } catch (PatternSyntaxException e) {
            return regexProblem((String) v, e);
        } catch (IllegalArgumentException e) {
            return "invalid JSON schema: " + e.getMessage();
        }
        return null;
    }

    private static String regexProblem(String source, PatternSyntaxException e) {
        boolean unsupported = source.contains("(?=") || source.contains("(?!") || source.contains("(?<=")
                || source.contains("(?<!") || source.contains("(?>") || source.matches("(?s).*\\\\(?:[1-9]|k<).*");
        return "invalid regex: " + e.getDescription() + (unsupported
                ? " (regex checks use RE2 syntax, which has no backreferences, lookahead/lookbehind or atomic groups)"
                : "");
    }

    /** {@link #evaluate(List, String, int)} with the default text cap. */
    public static List<CheckResult> evaluate(List<ProbeCheck> checks, String text) {
        return evaluate(checks, text, DEFAULT_MAX_CHARS);
    }

    /**
     * Evaluates valid checks (see {@link #validate}) on an answer; a null answer fails every evaluated check. Checks
     * read at most the first {@code maxChars} characters (min/max-length count the whole answer). A check that
     * cannot be evaluated (a schema stored before schemas were restricted) is reported as not evaluated.
     */
    public static List<CheckResult> evaluate(List<ProbeCheck> checks, String text, int maxChars) {
        if (checks == null || checks.isEmpty()) {
            return List.of();
        }
        String capped = cap(text, maxChars);
        List<CheckResult> results = new ArrayList<>(checks.size());
        for (ProbeCheck c : checks) {
            boolean negated = c.type().startsWith("not-");
            String base = negated ? c.type().substring(4) : c.type();
            if (MODEL_GRADED.equals(c.type()) || !BASE_TYPES.contains(base)) {
                results.add(new CheckResult(c.type(), null));
                continue;
            }
            if (text == null) {
                results.add(new CheckResult(c.type(), Boolean.FALSE));
                continue;
            }
            Boolean pass;
            try {
                pass = test(base, c.value(), base.endsWith("-length") ? text : capped) != negated;
            } catch (IllegalArgumentException | PatternSyntaxException e) {
                pass = null; // stored before RE2 / the schema rules: reported as not evaluated, never a crash
            }
            results.add(new CheckResult(c.type(), pass));
        }
        return results;
    }

    /** The first {@code maxChars} UTF-16 units of the text, never splitting a surrogate pair. */
    static String cap(String text, int maxChars) {
        if (text == null || text.length() <= maxChars) {
            return text;
        }
        int end = Math.max(0, maxChars);
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }

    private static boolean test(String base, Object v, String text) {
        return switch (base) {
            case "contains" -> text.contains((String) v);
            case "icontains" -> lower(text).contains(lower((String) v));
            case "contains-any" -> strings(v).stream().anyMatch(text::contains);
            case "contains-all" -> strings(v).stream().allMatch(text::contains);
            case "icontains-any" -> strings(v).stream().anyMatch(s -> lower(text).contains(lower(s)));
            case "icontains-all" -> strings(v).stream().allMatch(s -> lower(text).contains(lower(s)));
            case "equals" -> text.strip().equals(((String) v).strip());
            case "starts-with" -> text.stripLeading().startsWith((String) v);
            case "regex" -> pattern((String) v).matcher(text).find();
            case "min-length" -> length(text) >= ((Number) v).longValue();
            case "max-length" -> length(text) <= ((Number) v).longValue();
            case "one-of" -> strings(v).stream().anyMatch(s -> s.strip().equals(text.strip()));
            case "is-json" -> {
                JsonNode json = json(text);
                yield json != null && (v == null || schema(v).validate(json).isEmpty());
            }
            case "json-schema" -> {
                JsonNode json = json(text);
                yield json != null && schema(v).validate(json).isEmpty();
            }
            default -> throw new IllegalArgumentException("unknown check type " + base);
        };
    }

    /** Characters as a reader counts them: code points (a CJK character is one). */
    public static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    /** The answer as JSON (whole text, or the inside of one fenced code block), or null. */
    static JsonNode json(String text) {
        String t = text.strip();
        var fenced = FENCE.matcher(t);
        if (fenced.matches()) {
            t = fenced.group(1).strip();
        }
        if (t.isEmpty()) {
            return null;
        }
        try {
            return MAPPER.readTree(t);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object v) {
        if (!(v instanceof Collection<?> c) || c.isEmpty() || !c.stream().allMatch(x -> x instanceof String)) {
            return null;
        }
        return List.copyOf((Collection<String>) c);
    }

    private static <V> Map<String, V> lru() {
        return Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > CACHE_SIZE;
            }
        });
    }

    /** Entries in the two caches (for tests: they stay bounded). */
    static int cachedEntries() {
        return PATTERNS.size() + COMPILED.size();
    }

    private static Pattern pattern(String source) {
        Pattern p = PATTERNS.get(source);
        if (p == null) {
            p = Pattern.compile(source); // RE2: throws PatternSyntaxException before caching
            PATTERNS.put(source, p);
        }
        return p;
    }

    private static JsonSchema schema(Object value) {
        String source;
        try {
            source = value instanceof String s ? s : MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON");
        }
        JsonSchema s = COMPILED.get(source);
        if (s == null) {
            try {
                JsonNode node = MAPPER.readTree(source);
                if (!node.isObject() && !node.isBoolean()) {
                    throw new IllegalArgumentException("a schema is a JSON object");
                }
                String outside = SchemaGuard.problem(node);
                if (outside != null) {
                    throw new IllegalArgumentException(outside);
                }
                // validating against the meta-schema catches "type": 12 and friends
                JsonSchema meta = SCHEMAS.getSchema(com.networknt.schema.SchemaLocation.of(
                        "https://json-schema.org/draft/2020-12/schema"));
                if (node.isObject()) {
                    Set<ValidationMessage> metaProblems = meta.validate(node);
                    if (!metaProblems.isEmpty()) {
                        throw new IllegalArgumentException(metaProblems.iterator().next().getMessage());
                    }
                }
                s = SCHEMAS.getSchema(node);
                s.initializeValidators(); // resolves every reference now (through SchemaGuard.LOADER only)
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("not JSON");
            } catch (IllegalArgumentException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
            COMPILED.put(source, s);
        }
        return s;
    }
}
