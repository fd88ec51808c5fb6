package dev.rollgate.spec;

import java.time.Duration;

/**
 * Where Rollgate's proxy listens for the service's clients, and the clocks it keeps against slow peers.
 *
 * @param errorMasking        retry an idempotent request that failed on a canary once on stable, so users do not see it
 * @param firstRequestTimeout a new connection must send its first request within this
 * @param sendTimeout         a client that reads nothing of its response for this long is dropped
 * @param upstreamTimeout     a replica that sends nothing for this long while a request waits on it: 504
 */
public record ServiceSpec(int port, boolean errorMasking, Duration firstRequestTimeout, Duration sendTimeout, Duration upstreamTimeout) {

    public static final Duration FIRST_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(60);

    public ServiceSpec {
        // Stores written before these fields existed read back with the defaults.
        if (firstRequestTimeout == null) firstRequestTimeout = FIRST_REQUEST_TIMEOUT;
        if (sendTimeout == null) sendTimeout = SEND_TIMEOUT;
        if (upstreamTimeout == null) upstreamTimeout = UPSTREAM_TIMEOUT;
    }
}
