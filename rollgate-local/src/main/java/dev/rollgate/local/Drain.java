package dev.rollgate.local;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Takes a replica out of traffic and waits for its in-flight requests: the first step of its
 * termination, before preStop and SIGTERM, so the endpoint race of Kubernetes cannot happen.
 */
@FunctionalInterface
public interface Drain {

    /** Completes when no request is in flight on the replica any more (or the timeout cut them). */
    CompletableFuture<Void> drain(String replica, Duration timeout);

    Drain NONE = (replica, timeout) -> CompletableFuture.completedFuture(null);
}
