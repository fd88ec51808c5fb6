package dev.rollgate.analysis;

import java.time.Instant;
import java.util.List;

/**
 * One analysis run as the controller and {@code describe} see it: its key, templates, phase, and
 * each metric with its counters and the last measurements.
 */
public record AnalysisRunView(String key, String templates, AnalysisPhase phase, Instant started, List<Metric> metrics) {

    /** A metric of the run: its phase, counters, the last measurement and the ones kept before it. */
    public record Metric(String name, AnalysisPhase phase, boolean dryRun, int count, int successful, int failed, int inconclusive,
                         int error, String lastValue, String lastMessage, List<Measurement> measurements) {}

    /** One kept measurement: when, its outcome, the value read and the provider's evidence (the judge's counts and statistic). */
    public record Measurement(Instant at, AnalysisPhase phase, String value, String message) {}

    /**
     * For a finished run that did not succeed: the first metric that decided it, with its counts
     * and last value; null otherwise.
     */
    public String why() {
        if (phase == AnalysisPhase.SUCCESSFUL || !phase.completed()) return null;
        return metrics.stream().filter(x -> x.phase() == phase && !x.dryRun()).findFirst().map(x -> "metric " + x.name() + ": "
                + x.failed() + " failed, " + x.error() + " error, " + x.inconclusive() + " inconclusive of " + (x.count() + x.error())
                + "; last " + x.lastValue() + (x.lastMessage() == null || x.lastMessage().isEmpty() ? "" : " " + x.lastMessage()))
                .orElse(null);
    }
}
