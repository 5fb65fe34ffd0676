package dev.lookout.ingest.service.parse;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Log formats POST /api/runs/{run}/logs understands. The wire name is used in ?format= and in the report. */
public enum LogFormat {
    HF_TRAINER_STATE("hf-trainer-state"),
    LLAMAFACTORY_JSONL("llamafactory-jsonl"),
    MS_SWIFT_JSONL("ms-swift-jsonl"),
    JSONL("jsonl"),
    CSV("csv"),
    WANDB_CSV("wandb-csv"),
    TEXT("text"),
    TFEVENTS("tfevents");

    private final String wireName;

    LogFormat(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<LogFormat> fromWireName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.wireName.equals(n)).findFirst();
    }

    /** "hf-trainer-state, llamafactory-jsonl, …" for error messages. */
    public static String wireNames() {
        return Arrays.stream(values()).map(LogFormat::wireName).collect(Collectors.joining(", "));
    }
}
