package dev.rollgate.local.replica;

import java.time.Instant;

/** Something that happened to a replica, as a Kubernetes Event: type Normal or Warning, a reason, a message. */
public record ReplicaEvent(Instant time, String replica, Type type, String reason, String message) {

    public enum Type { Normal, Warning }
}
