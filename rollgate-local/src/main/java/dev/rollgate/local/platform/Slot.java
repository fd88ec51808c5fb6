package dev.rollgate.local.platform;

import dev.rollgate.local.replica.Replica;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** One replica the controller owns: which revision group it belongs to, and what the controller has seen of it. */
final class Slot {

    final Replica replica;
    final String hash;
    final Instant created;
    volatile boolean stopping;
    volatile boolean ready;
    volatile Instant readySince;
    volatile long pid;
    /** Completes once the replica has terminated and the controller has forgotten it (store row gone). */
    volatile CompletableFuture<Void> gone = new CompletableFuture<>();

    Slot(Replica replica, String hash, Instant created) {
        this.replica = replica;
        this.hash = hash;
        this.created = created;
    }

    String id() {
        return replica.id();
    }

    boolean terminated() {
        return replica.terminated().isDone();
    }

    /** Ready for at least {@code minReadySeconds}: Kubernetes' available. */
    boolean available(int minReadySeconds, Instant now) {
        return !stopping && ready && readySince != null && !readySince.plusSeconds(minReadySeconds).isAfter(now);
    }
}
