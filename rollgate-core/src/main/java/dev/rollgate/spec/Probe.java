package dev.rollgate.spec;

import java.time.Duration;

/** A startup, readiness or liveness probe with Kubernetes' fields and defaults. */
public record Probe(
        Handler handler,
        int initialDelaySeconds,
        int periodSeconds,
        int timeoutSeconds,
        int successThreshold,
        int failureThreshold,
        Integer terminationGracePeriodSeconds) {

    public static final int DEFAULT_PERIOD_SECONDS = 10;
    public static final int DEFAULT_TIMEOUT_SECONDS = 1;
    public static final int DEFAULT_SUCCESS_THRESHOLD = 1;
    public static final int DEFAULT_FAILURE_THRESHOLD = 3;

    public Duration period() {
        return Duration.ofSeconds(periodSeconds);
    }

    public Duration timeout() {
        return Duration.ofSeconds(timeoutSeconds);
    }

    public Duration initialDelay() {
        return Duration.ofSeconds(initialDelaySeconds);
    }
}
