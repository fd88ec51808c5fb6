package dev.rollgate.controller;

import dev.rollgate.rollout.ProgressiveState;

/**
 * The controller's own way back: to the template of the last revision that completed (after a
 * progress deadline or a failed expand migration), or, for a canary or blue-green, all traffic
 * back to stable.
 */
final class Rollback {

    private Rollback() {}

    /** progressDeadlineAbort: roll back to the last revision that completed, as {@code rollout undo} would. */
    static void deadline(Pass p, Observed.Group cur) {
        Observed.Group target = lastComplete(p);
        if (target == null || target.hash().equals(cur.hash())) {
            p.event("Warning", "RolloutAborted", "revision " + cur.revision() + " exceeded its progress deadline of "
                    + p.spec.progressDeadlineSeconds() + "s and there is no earlier complete revision to roll back to");
            return;
        }
        String message = cur.label() + " made no progress for " + p.spec.progressDeadlineSeconds()
                + "s (progressDeadlineSeconds); rolling back to " + target.label();
        p.status = p.status.withAbort(cur.revision(), message);
        p.spec = p.spec.withTemplate(target.template());
        p.event("Warning", "RolloutAborted", message);
    }

    /**
     * An expand migration of the new revision failed: nothing of it ran (it was held at zero), so
     * the rollout goes back to the last revision that completed, as a deadline abort does.
     */
    static void migrationFailed(Pass p, Observed.Group cur, String why) {
        Observed.Group target = lastComplete(p);
        String message = cur.label() + ": its expand migrations failed (" + why + ")";
        if (target == null || target.hash().equals(cur.hash())) {
            if (p.status.abortedRevision() != cur.revision()) {
                p.status = p.status.withAbort(cur.revision(), message + "; no earlier complete revision to go back to");
                p.event("Warning", "RolloutAborted", p.status.abortMessage());
            }
            return;
        }
        p.status = p.status.withAbort(cur.revision(), message + "; rolling back to " + target.label());
        p.spec = p.spec.withTemplate(target.template());
        p.event("Warning", "RolloutAborted", p.status.abortMessage());
    }

    /** A canary or blue-green that made no progress: all traffic back to stable, the rollout stays aborted. */
    static void abortProgressive(Pass p, String why) {
        ProgressiveState st = p.status.progressive().state();
        if (st.aborted() || st.canaryHash() == null) return;
        String message = abortMessage(st, why);
        p.status = withState(p.status, st.abort(message, p.now));
        p.event("Warning", "RolloutAborted", message);
    }

    /** What an abort of a canary or blue-green says, whoever aborts it. */
    static String abortMessage(ProgressiveState st, String why) {
        return "revision " + st.canaryHash() + " aborted: " + why + "; all traffic is back on " + st.stableHash();
    }

    static RolloutStatus withState(RolloutStatus status, ProgressiveState st) {
        RolloutStatus.Progressive pr = status.progressive();
        return status.withProgressive(new RolloutStatus.Progressive(pr.strategy(), st, pr.step(), pr.weights(), pr.preview(), pr.analysis()));
    }

    private static Observed.Group lastComplete(Pass p) {
        int n = p.status.lastCompleteRevision();
        return n == 0 ? null : p.groups.stream().filter(g -> g.revision() == n).findFirst().orElse(null);
    }
}
