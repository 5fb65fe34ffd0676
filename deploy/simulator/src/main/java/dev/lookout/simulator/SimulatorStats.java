package dev.lookout.simulator;

import java.util.Map;

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
 * @param byModel      the same counters per model named in a request body (from the moment the body is read)
 * @param byApiKey     the same counters per API key (the {@code Authorization: Bearer} value; from arrival)
 */
public record SimulatorStats(long requests, int inFlight, int maxInFlight, long rejected429, long errors500,
                             long hangs, int maxActive, Map<String, GroupStats> byModel,
                             Map<String, GroupStats> byApiKey) {

    /** The counters of one model or one API key: requests, in flight now, peak in flight, 500s, hangs. */
    public record GroupStats(long requests, int inFlight, int maxInFlight, long errors500, long hangs) {
    }
}
