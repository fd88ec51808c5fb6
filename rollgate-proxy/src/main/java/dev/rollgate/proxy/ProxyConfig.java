package dev.rollgate.proxy;

import java.time.Duration;

/**
 * Limits and behaviour of the proxy. Defaults are close to nginx's and HAProxy's.
 *
 * @param holdWhenNoEndpoint how long a request waits for a ready endpoint before 503 + Retry-After
 * @param maskCanaryErrors   retry idempotent requests that got a 5xx from a non-stable revision once on stable
 * @param retryBudgetRatio   at most this share of extra requests from masking (e.g. 0.2)
 * @param timeouts           first request, send and upstream response timeouts
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
        String requestIdHeader,
        Timeouts timeouts) {

    /**
     * The clocks a front proxy keeps against slow or idle peers.
     *
     * @param firstRequest     a new connection must send its first request head within this (HAProxy's {@code timeout http-request})
     * @param send             a client that reads nothing of its response for this long is dropped (nginx's {@code send_timeout})
     * @param upstreamResponse an upstream that sends nothing for this long while a request waits on it: 504 (nginx's {@code proxy_read_timeout})
     */
    public record Timeouts(Duration firstRequest, Duration send, Duration upstreamResponse) {
        public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(60));
    }

    /**
     * Idle upstream connections kept per endpoint and event loop: as many as a burst opened, as
     * HAProxy keeps them (the idle timeout trims them). A cap below the concurrency (512 was, with
     * 640 HTTP/2 streams in flight) closes connections a burst opened only to open them again for
     * the next: 30 % of the front door's HTTP/2 throughput in {@code bench/h2-ab.sh}.
     */
    static final int MAX_IDLE_UPSTREAM = 4096;

    public static ProxyConfig defaults() {
        return new ProxyConfig(8192, 16384, Duration.ofSeconds(10), Duration.ofSeconds(60), 10_000,
                Duration.ofSeconds(3), Duration.ofSeconds(2), MAX_IDLE_UPSTREAM, false, 0.2, "X-Request-Id", Timeouts.DEFAULTS);
    }

    public ProxyConfig withMasking(boolean on) {
        return new ProxyConfig(maxInitialLineLength, maxHeaderSize, headerTimeout, idleTimeout, maxConnections, holdWhenNoEndpoint,
                connectTimeout, maxIdleUpstreamPerEndpoint, on, retryBudgetRatio, requestIdHeader, timeouts);
    }

    public ProxyConfig withLimits(int maxLine, int maxHeaders, Duration headerRead, Duration idle, int connections) {
        return new ProxyConfig(maxLine, maxHeaders, headerRead, idle, connections, holdWhenNoEndpoint,
                connectTimeout, maxIdleUpstreamPerEndpoint, maskCanaryErrors, retryBudgetRatio, requestIdHeader, timeouts);
    }

    public ProxyConfig withTimeouts(Timeouts t) {
        return new ProxyConfig(maxInitialLineLength, maxHeaderSize, headerTimeout, idleTimeout, maxConnections, holdWhenNoEndpoint,
                connectTimeout, maxIdleUpstreamPerEndpoint, maskCanaryErrors, retryBudgetRatio, requestIdHeader, t);
    }

    public ProxyConfig withHold(Duration hold) {
        return new ProxyConfig(maxInitialLineLength, maxHeaderSize, headerTimeout, idleTimeout, maxConnections, hold,
                connectTimeout, maxIdleUpstreamPerEndpoint, maskCanaryErrors, retryBudgetRatio, requestIdHeader, timeouts);
    }
}
