package dev.rollgate.proxy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** The live side of an endpoint: requests in flight on it, whether it is draining, and their upstream connections. */
final class EndpointState {

    final Endpoint endpoint;
    final AtomicInteger inFlight = new AtomicInteger();
    volatile boolean draining;
    volatile CompletableFuture<Void> idle;
    /** Its metrics windows, looked up once rather than per request. */
    final SlidingWindow endpointStats;
    final SlidingWindow revisionStats;

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

    void release() {
        if (inFlight.decrementAndGet() == 0 && draining) {
            CompletableFuture<Void> f = idle;
            if (f != null) f.complete(null);
        }
    }
}
