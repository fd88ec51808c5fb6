package dev.rollgate.proxy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** The live side of an endpoint: requests in flight on it, whether it is draining or ejected, and their upstream connections. */
final class EndpointState {

    final Endpoint endpoint;
    final AtomicInteger inFlight = new AtomicInteger();
    volatile boolean draining;
    volatile CompletableFuture<Void> idle;
    /** Its metrics windows, looked up once rather than per request. */
    final SlidingWindow endpointStats;
    final SlidingWindow revisionStats;
    /** Requests in a row that failed on it ({@link Outliers}). */
    final AtomicInteger failuresInARow = new AtomicInteger();
    /** Out of routing until this {@code System.nanoTime()}, when above 0 and not passed. */
    volatile long ejectedUntilNanos;
    // Written under the Outliers lock only: its last ejection's number, and when that one ended.
    int ejections;
    long backSinceNanos;

    EndpointState(Endpoint endpoint, ProxyMetrics metrics) {
        this.endpoint = endpoint;
        this.endpointStats = metrics.endpoint(endpoint);
        this.revisionStats = metrics.revision(endpoint.revision());
    }

    /** Counts a request in; false (and not counted) when the endpoint is draining. */
    boolean tryAcquire() {
        inFlight.incrementAndGet();
        if (draining) {
            release();
            return false;
        }
        return true;
    }

    /** Whether it is out of routing at {@code nowNanos}. */
    boolean ejected(long nowNanos) {
        long until = ejectedUntilNanos;
        return until != 0 && until - nowNanos > 0;
    }

    void release() {
        if (inFlight.decrementAndGet() == 0 && draining) {
            CompletableFuture<Void> f = idle;
            if (f != null) f.complete(null);
        }
    }
}
