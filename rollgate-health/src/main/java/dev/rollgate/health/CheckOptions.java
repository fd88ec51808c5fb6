package dev.rollgate.health;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * How and for which probes a check runs.
 *
 * @param kinds            the probes whose status this check takes part in
 * @param critical         false: reported, but never turns its probes DOWN
 * @param interval         time between the end of one run and the start of the next
 * @param timeout          a run still going after this is DOWN ("timed out after …") and interrupted
 * @param failureThreshold consecutive DOWN runs before the check counts as DOWN
 * @param maxTimeInError   and, at the same time, how long it must have been failing (ZERO: no wait)
 * @param successThreshold consecutive UP runs before a DOWN check counts as UP again
 */
public record CheckOptions(Set<HealthGroup> kinds, boolean critical, Duration interval, Duration timeout,
                           int failureThreshold, Duration maxTimeInError, int successThreshold) {

    public CheckOptions {
        if (kinds.isEmpty()) throw new IllegalArgumentException("a check takes part in at least one probe");
        if (failureThreshold < 1 || successThreshold < 1) throw new IllegalArgumentException("thresholds are at least 1");
        if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("interval and timeout must be positive");
        }
        kinds = Set.copyOf(kinds);
    }

    /** A critical readiness check every 5 s, timing out after 2 s, DOWN on the first failure. */
    public static CheckOptions readiness() {
        return new CheckOptions(EnumSet.of(HealthGroup.READINESS), true, Duration.ofSeconds(5), Duration.ofSeconds(2), 1, Duration.ZERO, 1);
    }

    public static CheckOptions liveness() {
        return readiness().forKinds(HealthGroup.LIVENESS);
    }

    public static CheckOptions startup() {
        return readiness().forKinds(HealthGroup.STARTUP);
    }

    public CheckOptions forKinds(HealthGroup first, HealthGroup... more) {
        return new CheckOptions(EnumSet.of(first, more), critical, interval, timeout, failureThreshold, maxTimeInError, successThreshold);
    }

    public CheckOptions critical(boolean value) {
        return new CheckOptions(kinds, value, interval, timeout, failureThreshold, maxTimeInError, successThreshold);
    }

    public CheckOptions every(Duration value) {
        return new CheckOptions(kinds, critical, value, timeout, failureThreshold, maxTimeInError, successThreshold);
    }

    public CheckOptions timeout(Duration value) {
        return new CheckOptions(kinds, critical, interval, value, failureThreshold, maxTimeInError, successThreshold);
    }

    /** DOWN only after {@code failures} failed runs in a row and {@code timeInError} of failing (the broken-pool case). */
    public CheckOptions downAfter(int failures, Duration timeInError) {
        return new CheckOptions(kinds, critical, interval, timeout, failures, timeInError, successThreshold);
    }

    public CheckOptions upAfter(int successes) {
        return new CheckOptions(kinds, critical, interval, timeout, failureThreshold, maxTimeInError, successes);
    }
}
