package dev.rollgate.local.probe;

import dev.rollgate.local.probe.ProbeResult.Outcome;
import dev.rollgate.spec.Probe;
import dev.rollgate.spec.ProbeKind;

/**
 * The kubelet worker's threshold arithmetic as a value: the cached result only changes after
 * {@code successThreshold} or {@code failureThreshold} identical results in a row.
 *
 * @param cached the result others see (readiness starts at Failure, liveness at Success, startup at Unknown)
 * @param last   the latest attempt's outcome
 * @param run    how many attempts in a row had {@code last}'s outcome
 * @param set    whether this step crossed a threshold (the kubelet's {@code results.Set})
 */
public record ProbeCounter(Outcome cached, Outcome last, int run, boolean set) {

    public static ProbeCounter initial(ProbeKind kind) {
        Outcome start = switch (kind) {
            case READINESS -> Outcome.FAILURE;
            case LIVENESS -> Outcome.SUCCESS;
            case STARTUP -> Outcome.UNKNOWN;
        };
        return new ProbeCounter(start, Outcome.UNKNOWN, 0, false);
    }

    /** The counter after one more attempt. Unknown outcomes are discarded, as the kubelet does with prober errors. */
    public ProbeCounter observe(Outcome outcome, Probe probe) {
        if (outcome == Outcome.UNKNOWN) return new ProbeCounter(cached, last, run, false);
        int newRun = outcome == last ? run + 1 : 1;
        int threshold = outcome == Outcome.SUCCESS ? probe.successThreshold() : probe.failureThreshold();
        if (newRun < threshold) return new ProbeCounter(cached, outcome, newRun, false);
        return new ProbeCounter(outcome, outcome, newRun, true);
    }
}
