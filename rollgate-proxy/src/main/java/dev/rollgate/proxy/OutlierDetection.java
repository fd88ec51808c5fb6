package dev.rollgate.proxy;

import java.time.Duration;

/**
 * A service's passive health, on top of its probes (Envoy's outlier detection, HAProxy's
 * {@code observe layer7}): a replica that fails {@code consecutiveErrors} requests in a row (5xx
 * answers, failed connections, timeouts) leaves routing for {@code baseEjectionTime} times the
 * number of its ejections, at most {@code maxEjectionTime}; no more than {@code maxEjectionPercent}
 * of a revision's replicas are out at once, and never all of them: a replica that fails among good
 * siblings is the proxy's to set aside, a revision that fails as a whole is the judge's.
 *
 * @param consecutiveErrors 0 turns it off
 */
public record OutlierDetection(int consecutiveErrors, Duration baseEjectionTime, Duration maxEjectionTime, int maxEjectionPercent) {

    public static final int CONSECUTIVE_ERRORS = 5;
    public static final Duration BASE_EJECTION_TIME = Duration.ofSeconds(30);
    public static final Duration MAX_EJECTION_TIME = Duration.ofSeconds(300);
    public static final int MAX_EJECTION_PERCENT = 50;

    public static final OutlierDetection DEFAULT =
            new OutlierDetection(CONSECUTIVE_ERRORS, BASE_EJECTION_TIME, MAX_EJECTION_TIME, MAX_EJECTION_PERCENT);
    public static final OutlierDetection OFF = new OutlierDetection(0, BASE_EJECTION_TIME, MAX_EJECTION_TIME, MAX_EJECTION_PERCENT);

    public OutlierDetection {
        if (baseEjectionTime == null) baseEjectionTime = BASE_EJECTION_TIME;
        if (maxEjectionTime == null) maxEjectionTime = MAX_EJECTION_TIME;
    }

    public boolean enabled() {
        return consecutiveErrors > 0;
    }

    /** How long the {@code number}th ejection of a replica lasts (the first is 1): the base time that many times, at most the max. */
    Duration ejectionTime(int number) {
        Duration t = baseEjectionTime.multipliedBy(Math.max(1, number));
        return t.compareTo(maxEjectionTime) > 0 ? maxEjectionTime : t;
    }

    /** How many of a revision's {@code replicas} may be out at once: the share rounded down, at least one, never all. */
    int maxEjected(int replicas) {
        if (replicas <= 1) return 0;
        return Math.min(replicas - 1, Math.max(1, replicas * maxEjectionPercent / 100));
    }

    /**
     * Whether a replica that has just failed {@code inARow} requests in a row is ejected now, with
     * {@code ejectedNow} of its revision's {@code replicas} out already.
     */
    boolean ejects(int inARow, int replicas, int ejectedNow) {
        return enabled() && inARow >= consecutiveErrors && ejectedNow < maxEjected(replicas);
    }

    /**
     * The number of a replica's next ejection: one more than its last, or 1 again when it has been
     * back in routing for the max ejection time since ({@code sinceBack}; null: never ejected).
     */
    int nextNumber(int last, Duration sinceBack) {
        return sinceBack == null || sinceBack.compareTo(maxEjectionTime) >= 0 ? 1 : last + 1;
    }
}
