package dev.rollgate.analysis.run;

import dev.rollgate.analysis.MetricSource;
import java.time.Duration;

/**
 * The previous revision's numbers, frozen when a bake's analysis first looks: after promotion it
 * serves nothing, so "stable" is what it served over its last {@link #WINDOW} before.
 */
record Baseline(MetricSource.Window window, double[] latency) {

    /** As far back as the proxy keeps per-second numbers. */
    static final Duration WINDOW = Duration.ofMinutes(5);

    /** {@code window} is null where the source keeps no windows of its own (Prometheus: only latency is frozen). */
    static Baseline of(MetricSource source, String revision) {
        MetricSource.Window w;
        try {
            w = source.window(revision, WINDOW);
        } catch (UnsupportedOperationException e) {
            w = null;
        }
        return new Baseline(w, source.latencySample(revision, WINDOW, 2000));
    }

    /** Its errors, from the requests and the success rate. */
    long errors() {
        if (window == null) {
            throw new IllegalStateException("a bake's errorRate judge compares with the previous revision's last window, which only"
                    + " Rollgate's own proxy keeps: on Kubernetes, judge the bake's errors with a prometheus metric and a condition");
        }
        return window.requests() == 0 ? 0 : Math.round(window.requests() * (1 - window.successRate()));
    }
}
