package dev.lookout.proberunner.domain;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One target of a probe run, as stored in {@code probe_runs.targets}. {@code endpointId} and {@code role} are absent
 * on runs that failed to start; {@code adapter}: the LoRA adapter loaded under {@code model}, absent for a served
 * model.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunTarget(String endpoint, String endpointId, String model, String label, String role,
        Adapter adapter) {

    /** Where the model server reads the adapter from. */
    public record Adapter(String path) {
    }

    public String adapterPath() {
        return adapter == null ? null : adapter.path();
    }
}
