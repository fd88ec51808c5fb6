package dev.rollgate.controller;

import dev.rollgate.analysis.AnalysisRunView;
import dev.rollgate.rollout.Condition;
import dev.rollgate.rollout.ProgressiveState;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the controller last observed of one service, kept in the store with the spec:
 * the counts of Kubernetes' DeploymentStatus, its two conditions, and Rollgate's own record of
 * the current rollout (when it began, the last revision that completed, an automatic abort).
 *
 * @param revision            the current (newest) revision number
 * @param rolloutStarted      when the current revision became current
 * @param lastCompleteRevision the last revision that fully rolled out (0: none yet); rollbacks go there
 * @param abortedRevision     the revision the controller gave up on and rolled back from (0: none)
 */
public record RolloutStatus(long observedGeneration, int revision, String version, int desired, int replicas, int updated,
                            int ready, int available, Condition progressing, Condition availableCondition,
                            Instant rolloutStarted, int lastCompleteRevision, int abortedRevision, String abortMessage,
                            boolean paused, Progressive progressive) {

    public static final RolloutStatus NONE = new RolloutStatus(0, 0, null, 0, 0, 0, 0, 0, null, null, null, 0, 0, null, false, null);

    /**
     * A canary or blue-green rollout: its state, where it stands in words, the traffic weights
     * by revision hash, and its analysis runs.
     */
    public record Progressive(String strategy, ProgressiveState state, String step,
                              Map<String, Integer> weights, String preview,
                              List<AnalysisRunView> analysis) {}

    /**
     * One word for where the rollout stands: Progressing, Paused, Complete, Failed (the deadline
     * passed and nothing rolls back), RollingBack and RolledBack (after an automatic abort).
     */
    public String phase() {
        if (progressive != null && progressive.state().aborted()) return "Aborted";
        if (paused || progressive != null && progressive.state().paused()) return "Paused";
        if (progressive != null) {
            boolean settled = progressive.state().canaryHash() == null;
            if (abortedRevision > 0 && settled) {
                // A bake that failed: back on the warm previous revision.
                return revision == lastCompleteRevision && available >= desired ? "RolledBack" : "RollingBack";
            }
            if (progressing != null && "ProgressDeadlineExceeded".equals(progressing.reason())) return "Failed";
            return settled && revision == lastCompleteRevision && available >= desired ? "Complete" : "Progressing";
        }
        // As kubectl rollout status: the condition says so, and every replica is updated and available.
        boolean complete = progressing != null && "NewReplicaSetAvailable".equals(progressing.reason()) && revision == lastCompleteRevision
                && updated == desired && replicas == desired && available == desired;
        if (abortedRevision > 0) return complete ? "RolledBack" : "RollingBack";
        if (progressing != null && "ProgressDeadlineExceeded".equals(progressing.reason())) return "Failed";
        return complete ? "Complete" : "Progressing";
    }

    public RolloutStatus withCounts(long generation, int rev, String ver, int d, int r, int u, int rd, int a,
                                    Condition p, Condition av, boolean isPaused) {
        return new RolloutStatus(generation, rev, ver, d, r, u, rd, a, p, av, rolloutStarted, lastCompleteRevision, abortedRevision,
                abortMessage, isPaused, progressive);
    }

    public RolloutStatus withRolloutStarted(Instant at) {
        return new RolloutStatus(observedGeneration, revision, version, desired, replicas, updated, ready, available, progressing,
                availableCondition, at, lastCompleteRevision, abortedRevision, abortMessage, paused, progressive);
    }

    public RolloutStatus withLastComplete(int rev) {
        return new RolloutStatus(observedGeneration, revision, version, desired, replicas, updated, ready, available, progressing,
                availableCondition, rolloutStarted, rev, abortedRevision, abortMessage, paused, progressive);
    }

    public RolloutStatus withProgressive(Progressive p) {
        return new RolloutStatus(observedGeneration, revision, version, desired, replicas, updated, ready, available, progressing,
                availableCondition, rolloutStarted, lastCompleteRevision, abortedRevision, abortMessage, paused, p);
    }

    public RolloutStatus withAbort(int rev, String message) {
        return new RolloutStatus(observedGeneration, revision, version, desired, replicas, updated, ready, available, progressing,
                availableCondition, rolloutStarted, lastCompleteRevision, rev, message, paused, progressive);
    }
}
