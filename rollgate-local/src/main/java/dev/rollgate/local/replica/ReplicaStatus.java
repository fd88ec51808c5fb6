package dev.rollgate.local.replica;

import java.time.Instant;

/** A snapshot of one replica: state, readiness, why and since when, restarts, process. pid and port are 0 when none. */
public record ReplicaStatus(
        String replica,
        ReplicaState state,
        boolean ready,
        String reason,
        Instant since,
        int restarts,
        long pid,
        int port) {

    /** The state as {@code rollgate run} prints it, e.g. {@code Running (ready)}. */
    public String display() {
        if (state == ReplicaState.RUNNING) return ready ? "Running (ready)" : "Running (not ready)";
        return state.toString();
    }
}
