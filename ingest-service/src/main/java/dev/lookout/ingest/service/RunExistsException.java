package dev.lookout.ingest.service;

import java.util.UUID;

/** A run of that name already exists in the project: answered 409 with the existing run's id and Location. */
public class RunExistsException extends ConflictException {

    private final UUID runId;

    public RunExistsException(UUID runId, String message) {
        super(message);
        this.runId = runId;
    }

    public UUID runId() {
        return runId;
    }
}
