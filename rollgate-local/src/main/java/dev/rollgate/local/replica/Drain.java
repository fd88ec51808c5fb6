package dev.rollgate.local.replica;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Takes a replica out of traffic and waits for its in-flight requests: the first step of its
 * termination, before preStop and SIGTERM, so the endpoint race of Kubernetes cannot happen.
 */
@FunctionalInterface
public interface Drain {

    /** Completes, with how many requests the timeout cut, when none is in flight on the replica any more. */
    CompletableFuture<Integer> drain(String replica, Duration timeout);

    Drain NONE = (replica, timeout) -> CompletableFuture.completedFuture(0);
}
