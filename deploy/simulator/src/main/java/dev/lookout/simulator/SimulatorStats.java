package dev.lookout.simulator;

/**
 * A snapshot of the chat-completion counters ({@code /v1/models} and {@code /admin} are not counted).
 *
 * @param requests     chat completion requests received
 * @param inFlight     requests received and not yet answered (queued, in progress or hanging)
 * @param maxInFlight  the most requests ever in flight at once — what a client's concurrency cap controls
 * @param rejected429  requests answered 429
 * @param errors500    requests answered 500
 * @param hangs        requests deliberately never answered
 * @param maxActive    the most requests ever holding one of the {@code maxConcurrent} slots at once
 */
public record SimulatorStats(long requests, int inFlight, int maxInFlight, long rejected429, long errors500,
                             long hangs, int maxActive) {
}
