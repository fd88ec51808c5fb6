package dev.rollgate.rollout;

import java.time.Duration;
import java.time.Instant;

/**
 * Kubernetes' {@code syncRolloutStatus} for the Progressing and Available conditions, as a pure
 * function of the previous and current rollout status and the time.
 */
public final class Progress {

    /** The numbers of {@code DeploymentStatus} that the conditions are computed from. */
    public record Status(int replicas, int updated, int ready, int available) {}

    /** The conditions after this sync, and whether the rollout just ran out of its deadline. */
    public record Result(Condition progressing, Condition available, boolean timedOut) {}

    private Progress() {}

    public static boolean complete(int desired, Status s) {
        return s.updated() == desired && s.replicas() == desired && s.available() == desired;
    }

    /**
     * When the Progressing condition times out if nothing changes before (just after lastUpdate + the
     * deadline), or null when it cannot: complete, timed out already, paused, or never begun. A controller
     * that sleeps until its next event wakes then, so the deadline is never noticed late.
     */
    public static Instant deadline(Condition progressing, Duration deadline) {
        if (progressing == null) return null;
        return switch (progressing.reason()) {
            case "NewReplicaSetAvailable", "ProgressDeadlineExceeded", "DeploymentPaused" -> null;
            default -> progressing.lastUpdate().plus(deadline).plusMillis(1);
        };
    }

    /** {@code DeploymentProgressing}: more updated, fewer old, more ready or more available than before. */
    public static boolean progressing(Status before, Status now) {
        return now.updated() > before.updated()
                || (now.replicas() - now.updated()) < (before.replicas() - before.updated())
                || now.ready() > before.ready()
                || now.available() > before.available();
    }

    /**
     * @param progressing the Progressing condition so far (null before the rollout began)
     * @param availableBefore the Available condition so far (null at first)
     * @param newRevisionCreated whether this sync created the new group (reason NewReplicaSetCreated)
     */
    public static Result sync(int desired, int maxUnavailable, Duration deadline, Status before, Status now,
                              Condition progressing, Condition availableBefore, boolean newRevisionCreated, Instant at) {
        Condition a = availableBefore != null ? availableBefore
                : new Condition(Condition.AVAILABLE, "Unknown", "", "", at, at);
        Condition available = now.available() >= desired - maxUnavailable
                ? a.set("True", "MinimumReplicasAvailable", "Deployment has minimum availability.", at)
                : a.set("False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", at);
        Condition p = progressing;
        if (p == null || newRevisionCreated) {
            p = new Condition(Condition.PROGRESSING, "True", "NewReplicaSetCreated", "Created new revision.", at, at);
        }
        boolean alreadyComplete = now.replicas() == now.updated() && "NewReplicaSetAvailable".equals(p.reason());
        boolean timedOut = false;
        if (!alreadyComplete) {
            if (complete(desired, now)) {
                p = p.update("True", "NewReplicaSetAvailable", "Revision has successfully progressed.", at);
            } else if (progressing(before, now)) {
                p = p.update("True", "ReplicaSetUpdated", "Revision is progressing.", at);
            } else if (!"ProgressDeadlineExceeded".equals(p.reason()) && !"NewReplicaSetAvailable".equals(p.reason())
                    && at.isAfter(p.lastUpdate().plus(deadline))) {
                // As DeploymentTimedOut: a condition that says the last rollout succeeded never times out.
                // Reported once; Kubernetes stops here, Rollgate's progressDeadlineAbort acts on timedOut.
                p = p.update("False", "ProgressDeadlineExceeded", "Revision has timed out progressing.", at);
                timedOut = true;
            }
        }
        return new Result(p, available, timedOut);
    }

    /**
     * {@link #sync} with Kubernetes' pause rules: while paused, Progressing is Unknown with reason
     * DeploymentPaused and the deadline does not run; on resume it becomes DeploymentResumed, so
     * the deadline counts from the moment of the resume.
     */
    public static Result sync(int desired, int maxUnavailable, Duration deadline, Status before, Status now,
                              Condition progressing, Condition availableBefore, boolean newRevisionCreated, boolean paused, Instant at) {
        if (paused) {
            Condition p = progressing != null ? progressing : new Condition(Condition.PROGRESSING, "Unknown", "", "", at, at);
            if (!"DeploymentPaused".equals(p.reason())) p = p.update("Unknown", "DeploymentPaused", "Deployment is paused", at);
            Condition available = sync(desired, maxUnavailable, deadline, before, now, p, availableBefore, false, at).available();
            return new Result(p, available, false);
        }
        Condition p = progressing;
        if (p != null && "DeploymentPaused".equals(p.reason())) p = p.update("Unknown", "DeploymentResumed", "Deployment is resumed", at);
        return sync(desired, maxUnavailable, deadline, before, now, p, availableBefore, newRevisionCreated, at);
    }
}
