package dev.rollgate.view;

import java.time.Instant;

/** One event, as Kubernetes shows them. */
public record EventRow(long id, String service, Instant time, String type, String reason, String object, String message) {}
