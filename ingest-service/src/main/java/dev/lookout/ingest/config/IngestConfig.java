package dev.lookout.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Business settings of ingest-service (documented in the module README). */
@ConfigMapping(prefix = "lookout.ingest")
public interface IngestConfig {

    /** Largest accepted log upload in bytes; larger bodies are answered with 413. */
    @WithDefault("268435456")
    long maxUploadBytes();

    /**
     * Transaction timeout (seconds) of a log upload: the file is parsed while its points are written, inside the
     * transaction, so a large upload needs longer than the default 60 s. It only has to outlast
     * {@link #bodyReadDeadline()} plus the parse: a slower body is cut by that deadline first. Read by
     * MetricService.appendUpload's @TransactionConfiguration.
     */
    @WithDefault("600")
    int uploadTransactionTimeoutSeconds();

    /**
     * Longest wait for the next bytes of a request body (POST /metrics, /logs) once it is being read; a client
     * that sends nothing for this long is cut off (its connection closed, its transaction rolled back, the run's
     * row lock released). Also Vert.x' blocking read timeout ({@code quarkus.http.read-timeout}).
     */
    @WithDefault("PT30S")
    Duration bodyIdleTimeout();

    /**
     * Longest time a request body (POST /metrics, /logs) may take to arrive in full; a body still arriving after
     * it is answered with 408 and nothing is stored. Bounds how long an upload holds the run's row lock.
     */
    @WithDefault("PT5M")
    Duration bodyReadDeadline();

    /**
     * Longest line (bytes) of a line-based log (JSON Lines, CSV records, stdout text): a longer line is answered
     * with 422 naming it (stdout text lines are cut instead: their tail is not a metric line either).
     */
    @WithDefault("1048576")
    int maxLineBytes();

    /** Limits on a run's labels (POST /api/runs, runs created by a W&amp;B import). */
    Labels labels();

    interface Labels {
        /** Most labels on one run. */
        @WithDefault("32")
        int maxCount();

        /** Longest label key (characters). */
        @WithDefault("64")
        int maxKeyChars();

        /** Longest label value (characters; a value that is not a string counts as its JSON text). */
        @WithDefault("256")
        int maxValueChars();
    }

    /** Most points accepted in one POST /metrics batch. */
    @WithDefault("10000")
    int maxPointsPerBatch();

    /** Default and largest maxPoints of GET /series. */
    @WithDefault("1000")
    int seriesDefaultMaxPoints();

    @WithDefault("10000")
    int seriesMaxMaxPoints();

    /** EMA weight of the newest point when smoothing train loss for checkpoints (0 &lt; alpha &le; 1). */
    @WithDefault("0.2")
    double lossSmoothingAlpha();

    /** A running run that sent no data for this long becomes stalled. */
    @WithDefault("PT30M")
    java.time.Duration stalledAfter();

    /** How often the stalled check runs (a Quarkus scheduler period such as 60s). */
    @WithDefault("60s")
    String stalledCheckEvery();

    Alarms alarms();

    Outbox outbox();

    Paging paging();

    /**
     * Keyset paging of GET /api/runs, /alarms and /checkpoints: limit defaults to defaultLimit for runs and to
     * maxLimit for a run's alarms and checkpoints (so a round report sees them all in practice).
     */
    interface Paging {
        @WithDefault("100")
        int defaultLimit();

        @WithDefault("1000")
        int maxLimit();
    }

    interface Alarms {
        Spike spike();

        Divergence divergence();

        Plateau plateau();

        Overfitting overfitting();

        TooFastDrop tooFastDrop();

        GradNorm gradNorm();
    }

    interface Divergence {
        /** EMA weight of the newest train-loss point. */
        @WithDefault("0.1")
        double alpha();

        /** Points the smoothed loss's recent low is taken over. */
        @WithDefault("100")
        int window();

        /** Rise above that low (share of it) that counts as "up". */
        @WithDefault("0.5")
        double minRise();

        /** ... and at least this much in loss units. */
        @WithDefault("0.1")
        double minAbsRise();

        /** Consecutive "up" points before the alarm. */
        @WithDefault("50")
        int sustain();

        @WithDefault("100")
        long warmupSteps();

        @WithDefault("30")
        int minPoints();
    }

    interface Plateau {
        /** Points compared: mean of the last quarter against the first quarter. */
        @WithDefault("400")
        int window();

        /** Smallest relative improvement that is not a plateau (0 = no improvement at all). */
        @WithDefault("0")
        double minImprovement();

        @WithDefault("100")
        long warmupSteps();
    }

    interface Overfitting {
        /** Relative rise of eval loss above its lowest point. */
        @WithDefault("0.01")
        double minRise();

        /** Relative fall of train loss over the same steps. */
        @WithDefault("0.02")
        double minTrainDrop();

        /** Evals after the lowest one, all above it. */
        @WithDefault("2")
        int minEvalsAfter();

        /** Train-loss points averaged at each step. */
        @WithDefault("10")
        int trainPoints();
    }

    interface TooFastDrop {
        @WithDefault("0.1")
        double alpha();

        /** Smoothed train loss below this counts as "towards zero". */
        @WithDefault("0.02")
        double floor();

        /** ... but only if it was at least this high within the look-back. */
        @WithDefault("0.2")
        double minStartLoss();

        /** Consecutive points below the floor. */
        @WithDefault("5")
        int sustain();

        /** Points over which a fast drop is measured. */
        @WithDefault("20")
        int fastWindow();

        /** Share of the smoothed loss lost within fastWindow that is too fast. */
        @WithDefault("0.6")
        double maxDrop();

        /** Both rules need at least this drop in loss units. */
        @WithDefault("0.2")
        double minAbsDrop();

        @WithDefault("100")
        long warmupSteps();

        @WithDefault("50")
        int minPoints();

        /** Points replayed to find the start level. */
        @WithDefault("2000")
        int lookback();
    }

    interface GradNorm {
        @WithDefault("50")
        int window();

        @WithDefault("20")
        int minPoints();

        @WithDefault("100")
        long warmupSteps();

        /** Times the recent median. */
        @WithDefault("20")
        double minRatio();

        /** Robust z-score (MAD scaled by 1.4826). */
        @WithDefault("10")
        double threshold();

        /** Times the median at which the alarm is critical. */
        @WithDefault("100")
        double criticalRatio();
    }

    interface Spike {
        /** Points of recent history the robust level is computed over. */
        @WithDefault("50")
        int window();

        /** Fewest earlier finite points needed before a spike can be called. */
        @WithDefault("20")
        int minPoints();

        /** Steps at or below this are warm-up and never called spikes. */
        @WithDefault("100")
        long warmupSteps();

        /** Robust z-score (MAD scaled by 1.4826) at or above which a point is a spike. */
        @WithDefault("6.0")
        double threshold();

        /** The point must also exceed the median by at least this share of it. */
        @WithDefault("0.25")
        double minRelativeRise();

        /** ... and by at least this much in loss units. */
        @WithDefault("0.1")
        double minAbsoluteRise();
    }

    interface Outbox {
        @WithDefault("500")
        int batchSize();
    }
}
