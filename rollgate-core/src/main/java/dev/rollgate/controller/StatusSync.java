package dev.rollgate.controller;

import dev.rollgate.rollout.Condition;
import dev.rollgate.rollout.Fenceposts;
import dev.rollgate.rollout.Progress;
import dev.rollgate.rollout.ProgressivePlan;
import dev.rollgate.rollout.ProgressiveState;
import dev.rollgate.rollout.ReplicaSetState;
import dev.rollgate.spec.RolloutSpec;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Kubernetes' syncRolloutStatus with Rollgate's additions: the counts and the Progressing and
 * Available conditions ({@link Progress}), steps of a canary or blue-green counted as progress,
 * migrations holding the deadline, completion, and the progress deadline's automatic abort.
 */
final class StatusSync {

    private StatusSync() {}

    /**
     * @param created   this pass created (or re-adopted) the current revision's group
     * @param migrating the current revision is held at zero while its expand migrations run
     * @param plan      this pass's canary or blue-green plan, or null
     */
    static void sync(Pass p, Observed.Group cur, boolean created, boolean migrating, ProgressivePlan plan) {
        RolloutSpec spec = p.spec;
        int desired = spec.replicas();
        List<ReplicaSetState> sets = p.counts();
        ReplicaSetState newSet = sets.stream().filter(s -> s.revision() == cur.revision()).findFirst().orElseThrow();
        Progress.Status counts = new Progress.Status(sets.stream().mapToInt(ReplicaSetState::current).sum(), newSet.current(),
                sets.stream().mapToInt(ReplicaSetState::ready).sum(), sets.stream().mapToInt(ReplicaSetState::available).sum());
        RolloutStatus s = p.status;
        // Progress is counted against the status the last pass stored (a new revision starts from where it is).
        Progress.Status before = created || s.observedGeneration() == 0 ? counts
                : new Progress.Status(s.replicas(), s.updated(), s.ready(), s.available());
        int maxUnavailable = Fenceposts.of(spec).maxUnavailable(desired);
        Condition oldProgressing = s.progressing();
        // A canary or blue-green rollout makes progress through steps too: the deadline only runs while it waits for replicas.
        boolean holding = spec.paused() || migrating || plan != null && (plan.state().paused() || plan.state().aborted());
        Progress.Result r = Progress.sync(desired, maxUnavailable, Duration.ofSeconds(spec.progressDeadlineSeconds()), before, counts,
                oldProgressing, s.availableCondition(), created, holding, p.now);
        Condition progressing = r.progressing();
        if (plan != null && !created && oldProgressing != null) {
            ProgressiveState st = plan.state();
            if (st.aborted()) {
                progressing = oldProgressing.update("False", "Aborted", st.abortMessage(), p.now);
            } else if (!spec.paused() && !st.paused() && !plan.waitingOnReplicas() && !plan.settled()) {
                // A step that waits on time or analysis is progress, as Argo counts it: the deadline is for replicas that never come.
                progressing = oldProgressing.update("True", "RolloutStepRunning", plan.stepLabel(), p.now);
            } else if (plan.settled() && newSet.available() >= desired && !"NewReplicaSetAvailable".equals(progressing.reason())) {
                // Promoted: complete, even while the old revision waits out its scaleDownDelaySeconds.
                progressing = progressing.update("True", "NewReplicaSetAvailable", "Revision has successfully progressed.", p.now);
            }
        }
        if (migrating && !"MigrationsRunning".equals(progressing.reason())) {
            // Held at zero while its expand migrations run: not paused by anyone, and no deadline runs.
            progressing = progressing.update("Unknown", "MigrationsRunning", "expand migrations run before the new revision's first replica", p.now);
        }
        p.status = s.withCounts(p.generation, cur.revision(), spec.template().version(), desired, counts.replicas(), counts.updated(),
                counts.ready(), counts.available(), progressing, r.available(), spec.paused());
        // An abort has its own RolloutAborted event; the condition says the same.
        if ((oldProgressing == null || !oldProgressing.reason().equals(progressing.reason())) && !"Aborted".equals(progressing.reason())) {
            boolean bad = "ProgressDeadlineExceeded".equals(progressing.reason());
            p.event(bad ? "Warning" : "Normal", progressing.reason(), "revision " + cur.revision() + ": " + progressing.message());
        }
        boolean complete = plan != null ? plan.settled() && newSet.available() >= desired : Progress.complete(desired, counts);
        if (complete && p.status.lastCompleteRevision() != cur.revision() && !spec.paused()) {
            p.status = p.status.withLastComplete(cur.revision());
            Duration took = p.status.rolloutStarted() == null ? Duration.ZERO : Duration.between(p.status.rolloutStarted(), p.now);
            p.event("Normal", "RolloutCompleted", cur.label() + " complete: " + desired + " of " + desired + " available after "
                    + String.format(Locale.ROOT, "%.1fs", took.toMillis() / 1000.0));
        }
        if (r.timedOut() && spec.progressDeadlineAbort()) {
            String why = cur.label() + " made no progress for " + spec.progressDeadlineSeconds() + "s (progressDeadlineSeconds)";
            if (plan != null) Rollback.abortProgressive(p, why);
            else Rollback.deadline(p, cur);
        }
    }
}
