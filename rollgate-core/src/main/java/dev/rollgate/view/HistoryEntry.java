package dev.rollgate.view;

import java.time.Instant;

/** One revision of a service's history; {@code image}: what its replicas run (null for a process). */
public record HistoryEntry(int revision, String version, String hash, Instant created, int replicas, boolean current, String changeCause,
                           String image, String sources) {}
