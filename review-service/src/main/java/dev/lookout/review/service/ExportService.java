package dev.lookout.review.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.review.repository.BatchRepository;
import dev.lookout.review.repository.ExportRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Preference exports of a run: every item whose counted votes have a clear majority (more than half pick the same
 * side; ties and both-bad never make a pair) becomes one chosen/rejected pair, in the training formats of
 * LLaMA-Factory (sharegpt and alpaca, JSON arrays) and TRL (conversational preference and unpaired preference
 * for KTO, JSON Lines). Every row carries its provenance in {@code metadata}; both tools ignore extra columns.
 */
@ApplicationScoped
public class ExportService {

    public enum Format {
        LLAMAFACTORY_SHAREGPT("llamafactory-sharegpt", true),
        LLAMAFACTORY_ALPACA("llamafactory-alpaca", true),
        TRL("trl", false),
        KTO("kto", false);

        public final String key;
        /** JSON array (LLaMA-Factory) or JSON Lines (TRL). */
        public final boolean jsonArray;

        Format(String key, boolean jsonArray) {
            this.key = key;
            this.jsonArray = jsonArray;
        }

        public static Format parse(String key) {
            return Arrays.stream(values()).filter(f -> f.key.equals(key)).findFirst().orElse(null);
        }

        public String fileName(UUID run) {
            return "lookout-" + run + "-" + key + (jsonArray ? ".json" : ".jsonl");
        }
    }

    /** A checked export: the run's visible batches; nothing has been read yet. */
    public record Prepared(UUID runId, Format format, List<UUID> batchIds) {
    }

    public static final String DATASET_INFO_FORMAT = "llamafactory-dataset-info";

    private static final TypeReference<List<Map<String, Object>>> MESSAGES = new TypeReference<>() {
    };
    private static final byte[] NEWLINE = "\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SEPARATOR = ",\n".getBytes(StandardCharsets.UTF_8);

    private final BatchRepository batches;
    private final ExportRepository exports;
    private final ObjectMapper json;

    public ExportService(BatchRepository batches, ExportRepository exports, ObjectMapper json) {
        this.batches = batches;
        this.exports = exports;
        this.json = json;
    }

    /** Checks access before anything is streamed: a run without a batch the caller may see is "not found". */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Prepared prepare(Caller caller, UUID runId, Format format) {
        List<UUID> ids = batches.listByRun(runId).stream()
                .filter(b -> caller.canSee(b.project))
                .map(b -> b.id)
                .toList();
        if (ids.isEmpty()) {
            throw new NotFoundException("run not found");
        }
        return new Prepared(runId, format, ids);
    }

    /** The dataset_info.json entries to paste for the two LLaMA-Factory exports of a run. */
    public static Map<String, Object> datasetInfo(UUID runId) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put(datasetName(runId, Format.LLAMAFACTORY_SHAREGPT), datasetInfoEntry(runId, Format.LLAMAFACTORY_SHAREGPT));
        info.put(datasetName(runId, Format.LLAMAFACTORY_ALPACA), datasetInfoEntry(runId, Format.LLAMAFACTORY_ALPACA));
        return info;
    }

    public static String datasetName(UUID runId, Format format) {
        return "lookout_" + runId.toString().substring(0, 8) + "_" + format.key.replace("llamafactory-", "");
    }

    /** LLaMA-Factory dataset description of a preference ("ranking") dataset in that format. */
    public static Map<String, Object> datasetInfoEntry(UUID runId, Format format) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("file_name", format.fileName(runId));
        Map<String, Object> columns = new LinkedHashMap<>();
        if (format == Format.LLAMAFACTORY_SHAREGPT) {
            entry.put("formatting", "sharegpt");
            entry.put("ranking", true);
            columns.put("messages", "conversations");
            columns.put("chosen", "chosen");
            columns.put("rejected", "rejected");
        } else if (format == Format.LLAMAFACTORY_ALPACA) {
            entry.put("ranking", true);
            columns.put("prompt", "instruction");
            columns.put("query", "input");
            columns.put("chosen", "chosen");
            columns.put("rejected", "rejected");
            columns.put("system", "system");
            columns.put("history", "history");
        } else {
            throw new IllegalArgumentException("no dataset_info entry for " + format.key);
        }
        entry.put("columns", columns);
        return entry;
    }

    /** Streams the export; one row (two for KTO) per decided item, never the whole set in memory. */
    public void write(Prepared export, OutputStream out) throws IOException {
        boolean[] first = {true};
        if (export.format().jsonArray) {
            out.write('[');
            out.write(NEWLINE);
        }
        exports.streamDecided(export.batchIds(), item -> {
            for (Map<String, Object> row : rows(export.format(), item)) {
                if (export.format().jsonArray) {
                    if (!first[0]) {
                        out.write(SEPARATOR);
                    }
                    first[0] = false;
                    out.write(json.writeValueAsBytes(row));
                } else {
                    out.write(json.writeValueAsBytes(row));
                    out.write(NEWLINE);
                }
            }
        });
        if (export.format().jsonArray) {
            if (!first[0]) {
                out.write(NEWLINE);
            }
            out.write(']');
            out.write(NEWLINE);
        }
        out.flush();
    }

    /** The export rows of one decided item (pure; package-visible for tests). */
    List<Map<String, Object>> rows(Format format, ExportRepository.DecidedItem item) throws IOException {
        List<Map<String, Object>> messages = json.readValue(item.messagesJson(), MESSAGES);
        boolean candidateIsA = Side.A.name().equals(item.candidateSide());
        long candidateVotes = candidateIsA ? item.votesA() : item.votesB();
        long baselineVotes = candidateIsA ? item.votesB() : item.votesA();
        boolean candidateChosen = candidateVotes > baselineVotes;
        String candidateText = candidateIsA ? item.textA() : item.textB();
        String baselineText = candidateIsA ? item.textB() : item.textA();
        String chosen = candidateChosen ? candidateText : baselineText;
        String rejected = candidateChosen ? baselineText : candidateText;
        Map<String, Object> metadata = metadata(item, candidateChosen, candidateVotes, baselineVotes);
        return switch (format) {
            case LLAMAFACTORY_SHAREGPT -> List.of(sharegpt(messages, chosen, rejected, metadata));
            case LLAMAFACTORY_ALPACA -> List.of(alpaca(messages, chosen, rejected, metadata));
            case TRL -> List.of(trl(messages, chosen, rejected, metadata));
            case KTO -> List.of(
                    kto(messages, chosen, true, withCompletion(metadata, candidateChosen ? "candidate" : "baseline")),
                    kto(messages, rejected, false, withCompletion(metadata, candidateChosen ? "baseline" : "candidate")));
        };
    }

    private static Map<String, Object> sharegpt(List<Map<String, Object>> messages, String chosen, String rejected,
                                                Map<String, Object> metadata) {
        List<Map<String, Object>> conversations = new ArrayList<>();
        for (Map<String, Object> m : messages) {
            conversations.add(fromValue(sharegptRole(String.valueOf(m.get("role"))), content(m)));
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("conversations", conversations);
        row.put("chosen", fromValue("gpt", chosen));
        row.put("rejected", fromValue("gpt", rejected));
        row.put("metadata", metadata);
        return row;
    }

    /** LLaMA-Factory sharegpt roles; a leading "system" message is read as the system prompt. */
    static String sharegptRole(String role) {
        return switch (role) {
            case "system" -> "system";
            case "assistant" -> "gpt";
            case "tool", "function", "ipython" -> "observation";
            default -> "human";
        };
    }

    /**
     * instruction = the last user message; earlier turns go to {@code history} as [user, assistant] pairs and the
     * system prompt to {@code system} (both documented alpaca columns, always present so the column types agree).
     */
    private static Map<String, Object> alpaca(List<Map<String, Object>> messages, String chosen, String rejected,
                                              Map<String, Object> metadata) {
        String system = "";
        List<List<String>> history = new ArrayList<>();
        String pendingUser = null;
        String instruction = "";
        int lastUser = -1;
        for (int i = 0; i < messages.size(); i++) {
            if ("user".equals(messages.get(i).get("role"))) {
                lastUser = i;
            }
        }
        for (int i = 0; i < messages.size(); i++) {
            Map<String, Object> m = messages.get(i);
            String role = String.valueOf(m.get("role"));
            if (i == lastUser) {
                instruction = content(m);
            } else if (i > lastUser) {
                continue;
            } else if ("system".equals(role)) {
                system = system.isEmpty() ? content(m) : system + "\n" + content(m);
            } else if ("assistant".equals(role)) {
                history.add(List.of(pendingUser == null ? "" : pendingUser, content(m)));
                pendingUser = null;
            } else {
                pendingUser = pendingUser == null ? content(m) : pendingUser + "\n" + content(m);
            }
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("instruction", instruction);
        row.put("input", "");
        row.put("chosen", chosen);
        row.put("rejected", rejected);
        row.put("system", system);
        row.put("history", history);
        row.put("metadata", metadata);
        return row;
    }

    private static Map<String, Object> trl(List<Map<String, Object>> messages, String chosen, String rejected,
                                           Map<String, Object> metadata) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("prompt", prompt(messages));
        row.put("chosen", List.of(roleContent("assistant", chosen)));
        row.put("rejected", List.of(roleContent("assistant", rejected)));
        row.put("metadata", metadata);
        return row;
    }

    private static Map<String, Object> kto(List<Map<String, Object>> messages, String completion, boolean label,
                                           Map<String, Object> metadata) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("prompt", prompt(messages));
        row.put("completion", List.of(roleContent("assistant", completion)));
        row.put("label", label);
        row.put("metadata", metadata);
        return row;
    }

    private static List<Map<String, Object>> prompt(List<Map<String, Object>> messages) {
        return messages.stream().map(m -> roleContent(String.valueOf(m.get("role")), content(m))).toList();
    }

    private static Map<String, Object> metadata(ExportRepository.DecidedItem item, boolean candidateChosen,
                                                long candidateVotes, long baselineVotes) {
        Map<String, Object> votes = new LinkedHashMap<>();
        votes.put("candidate", candidateVotes);
        votes.put("baseline", baselineVotes);
        votes.put("tie", item.ties());
        votes.put("bothBad", item.bothBad());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", "lookout");
        m.put("runId", str(item.runId()));
        m.put("checkpointId", str(item.checkpointId()));
        m.put("step", item.step());
        m.put("probeRunId", str(item.probeRunId()));
        m.put("batchId", str(item.batchId()));
        m.put("itemId", str(item.itemId()));
        m.put("probeId", item.probeId());
        m.put("candidate", target(item.candidate()));
        m.put("baseline", target(item.baseline()));
        m.put("chosen", candidateChosen ? "candidate" : "baseline");
        m.put("votes", votes);
        return m;
    }

    private static Map<String, Object> withCompletion(Map<String, Object> metadata, String completionOf) {
        Map<String, Object> copy = new LinkedHashMap<>(metadata);
        copy.put("completion", completionOf);
        return copy;
    }

    private static Map<String, Object> target(Target t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("endpoint", t.endpoint());
        m.put("model", t.model());
        return m;
    }

    private static Map<String, Object> fromValue(String from, String value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", from);
        m.put("value", value);
        return m;
    }

    private static Map<String, Object> roleContent(String role, String content) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("content", content);
        return m;
    }

    private static String content(Map<String, Object> message) {
        Object c = message.get("content");
        return c == null ? "" : c.toString();
    }

    private static String str(UUID id) {
        return id == null ? null : id.toString();
    }
}
