package dev.rollgate.analysis;

import java.time.Duration;

/**
 * The numbers of one revision that analysis reads, wherever they come from: the embedded proxy's
 * own counters and windows, or (on Kubernetes) Prometheus. Revisions are named by template hash.
 */
public interface MetricSource {

    /** Requests and errors (5xx and connection failures) of a revision since counting began; only differences are used. */
    record Totals(long requests, long errors) {}

    /**
     * A revision over the last {@code window}: requests (answered or not), the share of them that
     * succeeded (NaN when there were none) and latency percentiles in milliseconds (NaN when none).
     */
    record Window(long requests, double successRate, double p50, double p90, double p99, double p999) {}

    /**
     * Copies of requests mirrored to a revision, each paired with the answer a user got from
     * another: copies sent and dropped, pairs, failures on each side, pairs that differed, and the
     * latencies (ms) of the last pairs, oldest first, in the same order on both sides.
     */
    record Mirrored(long mirrored, long dropped, long pairs, long canaryErrors, long stableErrors, long different,
                    double[] canaryLatencyMs, double[] stableLatencyMs) {}

    Totals totals(String revision);

    /** The pairs of mirroring to {@code revision}; a source that sees no mirrored traffic says so. */
    default Mirrored mirrored(String revision) {
        throw new UnsupportedOperationException("mirrored pairs are counted by Rollgate's own proxy, which this platform does not run");
    }

    Window window(String revision, Duration window);

    /** Latencies in milliseconds over the last {@code window}, at most {@code max} values spread over the distribution. */
    double[] latencySample(String revision, Duration window, int max);
}
