package dev.rollgate.analysis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one metric of a run has measured so far, as Argo's MetricResult: counters by outcome, the
 * consecutive runs of errors and successes, and the last measurements (at most {@link #HISTORY}).
 */
public record MetricResult(String name, boolean dryRun, int count, int successful, int failed, int inconclusive, int error,
                           int consecutiveError, int consecutiveSuccess, List<Measurement> measurements) {

    public static final int HISTORY = 10;

    public MetricResult {
        measurements = List.copyOf(measurements);
    }

    /** One measurement: its outcome, the value it read (a number, list or object; null on error) and why. */
    public record Measurement(AnalysisPhase phase, Object value, String message, Instant at) {}

    public static MetricResult empty(String name, boolean dryRun) {
        return new MetricResult(name, dryRun, 0, 0, 0, 0, 0, 0, 0, List.of());
    }

    /** This result with one more finished measurement counted in. */
    public MetricResult plus(Measurement m) {
        List<Measurement> kept = new ArrayList<>(measurements);
        kept.add(m);
        while (kept.size() > HISTORY) kept.removeFirst();
        boolean err = m.phase() == AnalysisPhase.ERROR;
        boolean ok = m.phase() == AnalysisPhase.SUCCESSFUL;
        // As Argo: an Error is not a measurement of the metric, so it does not count towards count.
        return new MetricResult(name, dryRun, count + (err ? 0 : 1), successful + (ok ? 1 : 0),
                failed + (m.phase() == AnalysisPhase.FAILED ? 1 : 0), inconclusive + (m.phase() == AnalysisPhase.INCONCLUSIVE ? 1 : 0),
                error + (err ? 1 : 0), err ? consecutiveError + 1 : 0, ok ? consecutiveSuccess + 1 : 0, kept);
    }

    public Measurement last() {
        return measurements.isEmpty() ? null : measurements.getLast();
    }
}
