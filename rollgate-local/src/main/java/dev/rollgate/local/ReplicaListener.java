package dev.rollgate.local;

/** Told about every replica status change and event; implementations must return quickly. */
public interface ReplicaListener {

    void onEvent(ReplicaEvent event);

    default void onStatus(ReplicaStatus status) {}
}
