package dev.lookout.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Business settings of ingest-service (documented in the module README). */
@ConfigMapping(prefix = "lookout.ingest")
public interface IngestConfig {

    /** Largest accepted log upload in bytes; larger bodies are answered with 413. */
    @WithDefault("268435456")
    long maxUploadBytes();

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

    Alarms alarms();

    Outbox outbox();

    interface Alarms {
        Spike spike();
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
    }

    interface Outbox {
        @WithDefault("500")
        int batchSize();
    }
}
