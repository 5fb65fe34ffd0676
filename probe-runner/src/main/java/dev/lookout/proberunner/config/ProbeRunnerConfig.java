package dev.lookout.proberunner.config;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Business settings of probe-runner (README "Configuration" lists them with their env vars). */
@ConfigMapping(prefix = "lookout")
public interface ProbeRunnerConfig {

    Endpoints endpoints();

    Secrets secrets();

    Calls calls();

    Comparison comparison();

    Suites suites();

    Outbox outbox();

    Eta eta();

    Reuse reuse();

    interface Reuse {
        /**
         * When a run starts, how long to wait for what identifies the weights (GET /v1/models {@code root}; a 1-token
         * completion for its {@code system_fingerprint} when earlier answers carry one). Unknown = nothing to compare.
         */
        @WithDefault("3s")
        java.time.Duration identityTimeout();
    }

    interface Eta {
        /** ETA of a running probe run: completions counted over this recent window (or since the run started). */
        @WithDefault("60s")
        java.time.Duration window();

        /** No ETA until at least this many calls completed in the window. */
        @WithDefault("5")
        int minSamples();
    }

    interface Outbox {
        /** Safety sweep of the outbox relay (rows are also published right after each commit). */
        @WithDefault("1s")
        String interval();

        /**
         * TEST ONLY (fault-injection system tests), unset by default and never set in production:
         * {@code exit-after-publish} halts the JVM right after the broker confirmed a batch and before the rows are
         * marked sent, so a test can show that the restarted relay sends them again and consumers dedupe.
         */
        Optional<String> failpoint();
    }

    interface Endpoints {
        /**
         * Model servers endpoints may point at (SSRF guard; client/EndpointAllowlist): {@code host[:port]},
         * {@code host:from-to}, {@code *.domain[:port]}, IP literals; no port = the scheme's default port. No default:
         * empty refuses every endpoint (422).
         */
        Optional<List<String>> allowedHosts();

        /** Largest model answer read, for endpoints that set no maxResponseBytes; a longer one is cut off. */
        @WithDefault("262144")
        int maxResponseBytes();

        /**
         * Longest wait for an endpoint's /v1/models when a checkpoint's probe run checks that its models are served
         * (capped by the endpoint's own timeout); no answer in time means no warning.
         */
        @WithDefault("5s")
        java.time.Duration modelListTimeout();

        /**
         * Longest wait for a model server's answer to loading a LoRA adapter (endpoints with adapterLoading=vllm);
         * the endpoint's own timeout counts when it is longer.
         */
        @WithDefault("120s")
        java.time.Duration adapterLoadTimeout();

        /**
         * A probe run still loading its adapter this long after the load began (the instance loading it died) is
         * loaded again; a load answered "already loaded" counts as loaded.
         */
        @WithDefault("5m")
        java.time.Duration adapterLoadStale();
    }

    interface Secrets {
        /** Base64 of 32 bytes; AES-256-GCM key for endpoint API keys. Required in prod to store API keys. */
        Optional<String> key();
    }

    interface Calls {
        /** Attempts per model call (first try included) before the error is stored and the message dead-lettered. */
        @WithDefault("4")
        int maxAttempts();

        @WithDefault("1000")
        long backoffBaseMs();

        @WithDefault("60000")
        long backoffMaxMs();

        /** HTTP connections per model server host (keep above the largest endpoint maxConcurrency). */
        @WithDefault("256")
        int httpPoolSize();

        /**
         * Cross-instance cap (client/EndpointLimiter): a slot's lease lasts this long beyond the longest call budget
         * of its endpoint (timeout + 1 s per turn + 1 s). A crashed instance's slots come back sooner: after
         * instance-expiry.
         */
        @WithDefault("10s")
        java.time.Duration slotLease();

        /** How often the leases held are renewed (one statement for all). Well below slot-lease. */
        @WithDefault("2s")
        java.time.Duration slotRenewInterval();

        /** A held slot without a call for this long, while no call waits, is given back for other instances. */
        @WithDefault("5s")
        java.time.Duration slotIdleRelease();

        /** While calls wait and fewer slots than the cap are held, leasing is retried this often. */
        @WithDefault("250ms")
        java.time.Duration slotAcquireRetry();

        /**
         * Liveness heartbeat of this instance (one statement). Its slots can be taken over once no beat got through
         * for instance-expiry; the instance itself stops its calls one interval before that.
         */
        @WithDefault("1s")
        java.time.Duration instanceHeartbeat();

        /** An instance without a heartbeat for this long is dead: its slots are free. More than 2 × heartbeat. */
        @WithDefault("4s")
        java.time.Duration instanceExpiry();
    }

    interface Comparison {
        /** A non-identical answer counts as changed when its chrF similarity to the baseline is below this. */
        @WithDefault("0.9")
        double changedThreshold();

        /** identicalToBaseline when at least this share of comparable probes is unchanged. */
        @WithDefault("0.95")
        double identicalShare();

        /** Stock-phrase detection (see service/StockPhraseDetector). */
        StockPhrases stockPhrases();

        /** Semantic similarity (per project, off by default; see service/SemanticScorer). */
        Semantic semantic();
    }

    interface Semantic {
        /** A pair is embedded with bge-small-zh when CJK characters are at least this share of its letters. */
        @WithDefault("0.2")
        double cjkThreshold();
    }

    interface StockPhrases {
        /** A phrase must appear in at least this many candidate outputs ... */
        @WithDefault("3")
        int minOutputs();

        /** ... and in at least this share of them. */
        @WithDefault("0.05")
        double minShare();

        /** candidate share − baseline share must be at least this ... */
        @WithDefault("0.05")
        double minRise();

        /** ... and candidate share at least this many times the baseline share (floor 1/baseline outputs). */
        @WithDefault("3.0")
        double minLift();

        /** Shortest phrase: words for non-CJK text ... */
        @WithDefault("2")
        int minWords();

        /** ... characters when it holds CJK. */
        @WithDefault("3")
        int minCjkChars();

        /** ... and, without CJK, at least this many letters and digits (spaces not counted): "in the" has 5. */
        @WithDefault("8")
        int minChars();

        /** Longest n-gram considered (tokens); phrases never cross punctuation anyway. */
        @WithDefault("32")
        int maxTokens();

        /** A piece of a longer reported phrase is dropped when the longer one has ≥ this share of its count. */
        @WithDefault("0.8")
        double mergeCountRatio();

        @WithDefault("20")
        int maxPhrases();
    }

    interface Suites {
        @WithDefault("5000")
        int maxProbes();
    }

    Checks checks();

    interface Checks {
        /**
         * A check reads at most this many characters (UTF-16 units) of an answer; min-length / max-length count the
         * whole answer. RE2 regexes are linear in this, so it bounds the time of every check.
         */
        @WithDefault("65536")
        int maxTextChars();
    }

    Quotas quotas();

    /** Per-project call budgets (defaults; an admin overrides them per project: /api/projects/{key}/quotas). */
    interface Quotas {
        /** Calls of the project queued and not yet finished (pending outputs of queued/running probe runs). */
        @WithDefault("20000")
        int maxInFlight();

        /** Model calls queued by the project's probe runs created in the last 24 hours (rolling window). */
        @WithDefault("200000")
        int maxCallsPerDay();

        /** Outputs one probe run may hold (probes × targets × samples): bounds the run's creating transaction. */
        @WithDefault("20000")
        int maxCallsPerRun();

        /** Retry-After of a run refused for the in-flight quota (when calls finish is not known in advance). */
        @WithDefault("60s")
        java.time.Duration inFlightRetryAfter();
    }
}
