package dev.rollgate.proxy;

import java.time.Duration;

/**
 * Limits and behaviour of the proxy. Defaults are close to nginx's and HAProxy's.
 *
 * @param holdWhenNoEndpoint how long a request waits for a ready endpoint before 503 + Retry-After
 * @param maskCanaryErrors   retry idempotent requests that got a 5xx from a non-stable revision once on stable
 * @param retryBudgetRatio   at most this share of extra requests from masking (e.g. 0.2)
 */
public record ProxyConfig(
        int maxInitialLineLength,
        int maxHeaderSize,
        Duration headerTimeout,
        Duration idleTimeout,
        int maxConnections,
        Duration holdWhenNoEndpoint,
        Duration connectTimeout,
        int maxIdleUpstreamPerEndpoint,
        boolean maskCanaryErrors,
        double retryBudgetRatio,
        String requestIdHeader) {

    public static ProxyConfig defaults() {
        return new ProxyConfig(8192, 16384, Duration.ofSeconds(10), Duration.ofSeconds(60), 10_000,
                Duration.ofSeconds(3), Duration.ofSeconds(2), 512, false, 0.2, "X-Request-Id");
    }

    public ProxyConfig withMasking(boolean on) {
        return new ProxyConfig(maxInitialLineLength, maxHeaderSize, headerTimeout, idleTimeout, maxConnections, holdWhenNoEndpoint,
                connectTimeout, maxIdleUpstreamPerEndpoint, on, retryBudgetRatio, requestIdHeader);
    }

    public ProxyConfig withLimits(int maxLine, int maxHeaders, Duration headerRead, Duration idle, int connections) {
        return new ProxyConfig(maxLine, maxHeaders, headerRead, idle, connections, holdWhenNoEndpoint,
                connectTimeout, maxIdleUpstreamPerEndpoint, maskCanaryErrors, retryBudgetRatio, requestIdHeader);
    }

    public ProxyConfig withHold(Duration hold) {
        return new ProxyConfig(maxInitialLineLength, maxHeaderSize, headerTimeout, idleTimeout, maxConnections, hold,
                connectTimeout, maxIdleUpstreamPerEndpoint, maskCanaryErrors, retryBudgetRatio, requestIdHeader);
    }
}
