package dev.rollgate.local.replica;

import java.time.Duration;

/**
 * The kubelet's restart back-off: the first exit is restarted at once (the kubelet finds no
 * back-off entry for the container yet, and only then records one), then 10 s before the next,
 * doubling up to 300 s, and back to the start once a replica has run 10 minutes without a problem.
 */
public record CrashLoopBackOff(Duration initial, Duration max, Duration resetAfter) {

    public static final CrashLoopBackOff KUBELET =
            new CrashLoopBackOff(Duration.ofSeconds(10), Duration.ofSeconds(300), Duration.ofMinutes(10));

    /** The wait before restart number {@code step} (1-based) of a run of failures: none for the first. */
    public Duration delay(int step) {
        if (step < 1) throw new IllegalArgumentException("step starts at 1: " + step);
        if (step == 1) return Duration.ZERO;
        Duration d = initial;
        for (int i = 2; i < step && d.compareTo(max) < 0; i++) d = d.multipliedBy(2);
        return d.compareTo(max) > 0 ? max : d;
    }

    /** The step for the next restart, given the previous step and how long the last run lasted. */
    public int nextStep(int previousStep, Duration lastRun) {
        return lastRun.compareTo(resetAfter) >= 0 ? 1 : previousStep + 1;
    }
}
