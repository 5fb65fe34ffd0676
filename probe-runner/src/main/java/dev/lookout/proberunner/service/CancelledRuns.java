package dev.lookout.proberunner.service;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Runs cancelled through this instance, so calls already dequeued but still waiting for an endpoint slot are
 * dropped before they reach the model server. (Other instances drop them when they try to store the answer: the
 * output is no longer pending.)
 */
@ApplicationScoped
public class CancelledRuns {

    private final Set<UUID> cancelled = ConcurrentHashMap.newKeySet();

    public void add(UUID probeRunId) {
        cancelled.add(probeRunId);
    }

    public boolean contains(UUID probeRunId) {
        return cancelled.contains(probeRunId);
    }
}
