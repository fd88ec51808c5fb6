package dev.rollgate.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A check's latest result and its threshold counters, as a value. The status others see
 * ({@code effective}) only changes once the thresholds in {@link CheckOptions} are crossed.
 *
 * @param effective       the status the probes use; null until the first run (not yet known)
 * @param last            the latest run's result, null before the first run
 * @param failuresInARow  consecutive DOWN runs
 * @param successesInARow consecutive UP runs
 * @param failingSince    when the current run of failures began, null while UP
 * @param lastRunAt       when the latest run finished
 * @param lastDuration    how long the latest run took
 */
public record CheckState(Status effective, CheckResult last, int failuresInARow, int successesInARow,
                         Instant failingSince, Instant lastRunAt, Duration lastDuration) {

    public static final CheckState NOT_RUN = new CheckState(null, null, 0, 0, null, null, Duration.ZERO);

    /**
     * The state after one more run. Thresholds count consecutive runs, as the kubelet does; the
     * failure side also needs {@code maxTimeInError} of failing. While a check has no verdict yet
     * ({@code effective} null) readiness and startup treat it as DOWN and liveness as UP.
     */
    public CheckState observe(CheckResult result, Instant now, Duration took, CheckOptions options) {
        if (result.isUp()) {
            int successes = successesInARow + 1;
            Status status = effective == Status.UP || successes >= options.successThreshold() ? Status.UP : effective;
            return new CheckState(status, result, 0, successes, null, now, took);
        }
        int failures = failuresInARow + 1;
        Instant since = failingSince == null ? now : failingSince;
        boolean crossed = failures >= options.failureThreshold()
                && Duration.between(since, now).compareTo(options.maxTimeInError()) >= 0;
        return new CheckState(crossed ? Status.DOWN : effective, result, failures, 0, since, now, took);
    }

    /** Data to show for this check: the latest run's, plus why it is not what it ran as. */
    public Map<String, Object> data() {
        if (last == null) return Map.of("error", "not run yet");
        CheckResult shown = last;
        if (effective == Status.UP && !last.isUp()) shown = shown.with("failuresInARow", failuresInARow);
        if (effective == Status.DOWN && last.isUp()) shown = shown.with("successesInARow", successesInARow);
        return shown.data();
    }
}
