package dev.rollgate.rollout;

import java.time.Instant;

/**
 * A Deployment condition as Kubernetes reports it ({@code Progressing}, {@code Available}):
 * status True/False/Unknown, a reason, and when it last changed and was last updated.
 */
public record Condition(String type, String status, String reason, String message, Instant lastUpdate, Instant lastTransition) {

    public static final String PROGRESSING = "Progressing";
    public static final String AVAILABLE = "Available";

    /** The same condition with new values; lastTransition moves only when the status changes. */
    public Condition update(String newStatus, String newReason, String newMessage, Instant now) {
        return new Condition(type, newStatus, newReason, newMessage, now, newStatus.equals(status) ? lastTransition : now);
    }
}
