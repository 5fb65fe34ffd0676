package dev.lookout.proberunner.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.lookout.proberunner.service.BadInputException;
import dev.lookout.proberunner.service.CheckEvaluator;


/**
 * Turns other tools' test files into probes (pure). Formats:
 * <ul>
 * <li>{@code promptfoo}: promptfooconfig.yaml — every inline prompt × every test; {@code {{var}}} replaced by the
 * test's vars (defaultTest vars first); a prompt that is a JSON chat array becomes those messages. Asserts of
 * defaultTest and of the test: equals, contains, icontains, contains-any/all, icontains-any/all, regex, starts-with,
 * is-json and their not- forms become checks; any other assert (llm-rubric, model-graded-*, factuality, javascript,
 * similar, …) becomes a tag {@code assert:<type>} and a {@code model-graded} check reported as not evaluated.
 * Probe id: {@code t<n>} (1-based test), {@code t<n>-p<m>} with several prompts; tags: the test's
 * {@code metadata.tags}/{@code description} are not needed for running and are dropped except tags.</li>
 * <li>{@code jsonl}: one JSON object a line, {@code {"prompt": "…"}} or {@code {"messages": [{role, content}]}},
 * optional {@code id}, {@code tags}, {@code checks}, {@code reference}; blank lines skipped; id default
 * {@code line-<n>}.</li>
 * <li>{@code mt-bench}: FastChat question.jsonl {@code {question_id, category, turns: [t1, t2], reference?}} — the
 * first turn is the message, later turns are follow-ups asked after the model's own answer; id {@code mt-<id>},
 * tag the category, reference the last reference answer.</li>
 * </ul>
 * Errors name the line (jsonl, mt-bench) or the test (promptfoo): {@link BadInputException} 400/422.
 */
public final class SuiteImporter {

    public static final List<String> FORMATS = List.of("promptfoo", "jsonl", "mt-bench");

    private static final Set<String> DETERMINISTIC = Set.of("equals", "contains", "icontains", "contains-any",
            "contains-all", "icontains-any", "icontains-all", "regex", "starts-with", "is-json");
    private static final Pattern VAR = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_.]*)\\s*}}");

    private final ObjectMapper json;
    private final ObjectMapper yaml;

    public SuiteImporter(ObjectMapper json) {
        this.json = json;
        this.yaml = new ObjectMapper(new YAMLFactory());
    }

    public List<ProbeDto> parse(String format, String body) {
        if (body == null || body.isBlank()) {
            throw new BadInputException(400, "The body is empty", List.of());
        }
        return switch (format == null ? "" : format) {
            case "promptfoo" -> promptfoo(body);
            case "jsonl" -> jsonl(body);
            case "mt-bench" -> mtBench(body);
            default -> throw BadInputException.field("format", "must be one of " + String.join(", ", FORMATS));
        };
    }

    // ---- promptfoo

    @SuppressWarnings("unchecked")
    List<ProbeDto> promptfoo(String body) {
        Map<String, Object> config = promptfooConfig(body);
        List<String> prompts = promptfooPrompts(config.get("prompts"));
        Map<String, Object> defaultTest = config.get("defaultTest") instanceof Map<?, ?> m
                ? (Map<String, Object>) m : Map.of();
        Object rawTests = config.get("tests");
        if (rawTests instanceof String s) {
            throw BadInputException.field("tests", "'" + s + "' refers to a file: inline the tests");
        }
        List<Object> tests = rawTests instanceof List<?> l ? (List<Object>) l : List.of(Map.of());
        List<ProbeDto> probes = new ArrayList<>();
        for (int t = 0; t < tests.size(); t++) {
            if (!(tests.get(t) instanceof Map<?, ?> testMap)) {
                throw BadInputException.field("tests[" + t + "]", "must be a mapping");
            }
            Map<String, Object> test = (Map<String, Object>) testMap;
            Map<String, Object> vars = merged(defaultTest.get("vars"), test.get("vars"));
            Set<String> tags = new LinkedHashSet<>();
            tags.add("promptfoo");
            if (test.get("metadata") instanceof Map<?, ?> md && md.get("tags") instanceof List<?> mt) {
                mt.forEach(x -> tags.add(String.valueOf(x)));
            }
            List<Check> checks = promptfooChecks(t, concat(defaultTest.get("assert"), test.get("assert")), vars, tags);
            for (int p = 0; p < prompts.size(); p++) {
                String id = "t" + (t + 1) + (prompts.size() > 1 ? "-p" + (p + 1) : "");
                String rendered = substitute(prompts.get(p), vars);
                probes.add(new ProbeDto(id, messages(rendered), List.copyOf(tags), checks.isEmpty() ? null : checks,
                        null));
            }
        }
        return probes;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> promptfooConfig(String body) {
        try {
            Object read = yaml.readValue(body, Object.class);
            if (!(read instanceof Map)) {
                throw new BadInputException(400, "A promptfoo config is a YAML mapping", List.of());
            }
            return (Map<String, Object>) read;
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new BadInputException(400, "The promptfoo YAML could not be read"
                    + (loc == null ? "" : " at line " + loc.getLineNr()), loc == null ? List.of()
                            : List.of(new BadInputException.Problem("line " + loc.getLineNr(), e.getOriginalMessage())));
        }
    }

    private static List<String> promptfooPrompts(Object rawPrompts) {
        List<String> prompts = new ArrayList<>();
        for (Object p : rawPrompts instanceof List<?> l ? l : rawPrompts == null ? List.of() : List.of(rawPrompts)) {
            String text = p instanceof String s ? s
                    : p instanceof Map<?, ?> m && m.get("raw") instanceof String raw ? raw : null;
            if (text == null) {
                throw BadInputException.field("prompts", "each prompt must be a string or {raw: …}");
            }
            if (text.startsWith("file://")) {
                throw BadInputException.field("prompts", "'" + text + "' refers to a file: inline the prompt text");
            }
            prompts.add(text);
        }
        if (prompts.isEmpty()) {
            throw BadInputException.field("prompts", "no prompts");
        }
        return prompts;
    }

    /** The test's vars over the default test's (either may be absent or not a mapping). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> merged(Object defaults, Object own) {
        Map<String, Object> vars = new LinkedHashMap<>();
        if (defaults instanceof Map<?, ?> dv) {
            vars.putAll((Map<String, Object>) dv);
        }
        if (own instanceof Map<?, ?> tv) {
            vars.putAll((Map<String, Object>) tv);
        }
        return vars;
    }

    /** The default test's asserts, then the test's own (either may be absent or not a list). */
    private static List<Object> concat(Object defaults, Object own) {
        List<Object> asserts = new ArrayList<>();
        if (defaults instanceof List<?> da) {
            asserts.addAll(da);
        }
        if (own instanceof List<?> ta) {
            asserts.addAll(ta);
        }
        return asserts;
    }

    /** Deterministic asserts become checks; model-graded ones keep their original and tag the probe. */
    private static List<Check> promptfooChecks(int t, List<Object> asserts, Map<String, Object> vars, Set<String> tags) {
        List<Check> checks = new ArrayList<>();
        for (int a = 0; a < asserts.size(); a++) {
            if (!(asserts.get(a) instanceof Map<?, ?> am) || !(am.get("type") instanceof String type)) {
                throw BadInputException.field("tests[" + t + "].assert[" + a + "]", "must have a type");
            }
            Object value = substituteValue(am.get("value"), vars);
            String base = type.startsWith("not-") ? type.substring(4) : type;
            if (DETERMINISTIC.contains(base)) {
                if (base.endsWith("-any") || base.endsWith("-all")) {
                    value = value instanceof String s ? List.of(s.split("\\s*,\\s*")) : value;
                }
                checks.add(new Check(type, value));
            } else {
                tags.add("assert:" + type);
                Map<String, Object> original = new LinkedHashMap<>();
                original.put("type", type);
                original.put("value", value);
                checks.add(new Check(CheckEvaluator.MODEL_GRADED, original));
            }
        }
        return checks;
    }

    /** A prompt that is a JSON chat array becomes those messages; anything else is one user message. */
    private List<ChatMessage> messages(String prompt) {
        String trimmed = prompt.strip();
        if (trimmed.startsWith("[")) {
            try {
                List<ChatMessage> chat = List.of(json.readValue(trimmed, ChatMessage[].class));
                if (!chat.isEmpty() && chat.stream().allMatch(m -> m.role() != null && m.content() != null)) {
                    return chat;
                }
            } catch (JsonProcessingException e) {
                // not a chat array: plain text
            }
        }
        return List.of(new ChatMessage("user", prompt));
    }

    static String substitute(String template, Map<String, Object> vars) {
        Matcher m = VAR.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object v = vars.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v == null ? "" : String.valueOf(v)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Object substituteValue(Object value, Map<String, Object> vars) {
        if (value instanceof String s) {
            return substitute(s, vars);
        }
        if (value instanceof List<?> l) {
            return l.stream().map(x -> x instanceof String s ? substitute(s, vars) : x).toList();
        }
        return value;
    }

    // ---- JSONL

    @SuppressWarnings("unchecked")
    List<ProbeDto> jsonl(String body) {
        List<ProbeDto> probes = new ArrayList<>();
        forEachLine(body, (n, obj) -> {
            String id = obj.get("id") == null ? "line-" + n : String.valueOf(obj.get("id"));
            List<ChatMessage> messages;
            if (obj.get("messages") instanceof List<?>) {
                messages = List.of(json.convertValue(obj.get("messages"), ChatMessage[].class));
            } else if (obj.get("prompt") instanceof String p) {
                messages = List.of(new ChatMessage("user", p));
            } else {
                throw lineProblem(n, "needs \"prompt\" (a string) or \"messages\" (a list)");
            }
            List<String> tags = obj.get("tags") instanceof List<?> t ? t.stream().map(String::valueOf).toList() : null;
            List<Check> checks = obj.get("checks") == null ? null
                    : List.of(json.convertValue(obj.get("checks"), Check[].class));
            String reference = obj.get("reference") instanceof String r ? r : null;
            probes.add(new ProbeDto(id, messages, tags, checks, reference));
        });
        return probes;
    }

    // ---- MT-Bench

    List<ProbeDto> mtBench(String body) {
        List<ProbeDto> probes = new ArrayList<>();
        forEachLine(body, (n, obj) -> {
            if (obj.get("question_id") == null || !(obj.get("turns") instanceof List<?> turns) || turns.isEmpty()
                    || !turns.stream().allMatch(x -> x instanceof String)) {
                throw lineProblem(n, "needs question_id and turns (a non-empty list of strings)");
            }
            List<String> all = turns.stream().map(String.class::cast).toList();
            String reference = obj.get("reference") instanceof List<?> refs && !refs.isEmpty()
                    && refs.get(refs.size() - 1) instanceof String r ? r : null;
            List<String> tags = obj.get("category") instanceof String c ? List.of(c) : null;
            probes.add(new ProbeDto("mt-" + obj.get("question_id"), List.of(new ChatMessage("user", all.get(0))),
                    tags, null, reference, all.size() > 1 ? all.subList(1, all.size()) : null));
        });
        return probes;
    }

    private interface LineHandler {
        void handle(int lineNumber, Map<String, Object> object);
    }

    @SuppressWarnings("unchecked")
    private void forEachLine(String body, LineHandler handler) {
        String[] lines = body.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            Object obj;
            try {
                obj = json.readValue(line, Object.class);
            } catch (JsonProcessingException e) {
                throw lineProblem(i + 1, "not JSON: " + e.getOriginalMessage());
            }
            if (!(obj instanceof Map)) {
                throw lineProblem(i + 1, "must be a JSON object");
            }
            try {
                handler.handle(i + 1, (Map<String, Object>) obj);
            } catch (IllegalArgumentException e) {
                throw lineProblem(i + 1, e.getMessage());
            }
        }
    }

    private static BadInputException lineProblem(int line, String message) {
        return new BadInputException(400, "line " + line + ": " + message,
                List.of(new BadInputException.Problem("line " + line, message)));
    }
}
