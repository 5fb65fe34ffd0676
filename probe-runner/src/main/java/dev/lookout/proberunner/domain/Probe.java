package dev.lookout.proberunner.domain;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One probe of a suite version, as stored in {@code suite_versions.probes} (the canonical JSON whose SHA-256 is the
 * version's content hash: keep its field names and the omitted empty {@code followUps}).
 *
 * @param followUps user messages asked after the model's own previous answer (MT-Bench turn 2); null = one turn
 */
public record Probe(String id, List<Message> messages, List<String> tags, List<ProbeCheck> checks, String reference,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> followUps) {

    public Probe(String id, List<Message> messages, List<String> tags, List<ProbeCheck> checks, String reference) {
        this(id, messages, tags, checks, reference, null);
    }
}
