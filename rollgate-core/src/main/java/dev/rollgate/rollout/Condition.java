package dev.rollgate.rollout;

import java.time.Instant;

/**
 * A Deployment condition as Kubernetes reports it ({@code Progressing}, {@code Available}):
 * status True/False/Unknown, a reason, and when it last changed and was last updated.
 */
public record Condition(String type, String status, String reason, String message, Instant lastUpdate, Instant lastTransition) {

    public static final String PROGRESSING = "Progressing";
    public static final String AVAILABLE = "Available";

    /**
     * Kubernetes' {@code SetDeploymentCondition}: the condition as it is when status and reason are the same
     * (nothing was updated, so lastUpdate stays), else {@link #update}.
     */
    public Condition set(String newStatus, String newReason, String newMessage, Instant now) {
        return newStatus.equals(status) && newReason.equals(reason) ? this : update(newStatus, newReason, newMessage, now);
    }

    /** The same condition with new values; lastTransition moves only when the status changes. */
    public Condition update(String newStatus, String newReason, String newMessage, Instant now) {
        return new Condition(type, newStatus, newReason, newMessage, now, newStatus.equals(status) ? lastTransition : now);
    }
}
