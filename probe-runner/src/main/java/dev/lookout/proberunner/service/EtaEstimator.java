package dev.lookout.proberunner.service;

import dev.lookout.proberunner.domain.RunEta;

/**
 * Time left for a running probe run from its recent completion rate: calls finished (done or error, answers reused
 * from earlier runs excluded) over the last {@code window} — or since the run started, when that is more recent —
 * divided by that span; seconds = calls still pending ÷ rate. No estimate (null) when nothing is pending, when fewer
 * than {@code minSamples} calls finished in the span (too early, or the run is stalled: e.g. every call waiting in a
 * delay queue), or when the span is shorter than {@link #MIN_SPAN_SECONDS}.
 */
public final class EtaEstimator {

    /** Below this the first burst of answers (one per concurrency slot) would read as a huge rate. */
    public static final double MIN_SPAN_SECONDS = 1.0;

    private EtaEstimator() {
    }

    /**
     * @param pending calls not yet finished
     * @param finishedInSpan calls finished within the span
     * @param spanSeconds length of the span: now − max(run start, now − window)
     * @param minSamples fewest finished calls for an estimate
     */
    public static RunEta estimate(int pending, long finishedInSpan, double spanSeconds, int minSamples) {
        if (pending <= 0 || finishedInSpan < Math.max(1, minSamples) || spanSeconds < MIN_SPAN_SECONDS) {
            return null;
        }
        double rate = finishedInSpan / spanSeconds;
        return new RunEta(round1(pending / rate), round1(rate));
    }

    private static double round1(double v) {
        return Math.round(v * 10.0) / 10.0;
    }
}
