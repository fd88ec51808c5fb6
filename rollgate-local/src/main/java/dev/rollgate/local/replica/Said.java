package dev.rollgate.local.replica;

import dev.rollgate.local.replica.ReplicaEvent.Type;

/** Where a step of a replica's life is said: an event of the replica, of {@code type}, with its reason and message. */
interface Said {
    void event(Type type, String reason, String message);
}
