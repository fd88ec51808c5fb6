package dev.rollgate.controller;

import dev.rollgate.rollout.BlueGreenSteps;
import dev.rollgate.rollout.CanarySteps;
import dev.rollgate.rollout.ProgressiveState;
import dev.rollgate.rollout.TemplateHash;
import dev.rollgate.spec.Rollout;
import dev.rollgate.spec.RolloutSpec;
import dev.rollgate.spec.Strategy;
import dev.rollgate.spec.Template;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The verbs of {@code rollgate rollout} and {@code apply} as pure transitions of the spec and the
 * status: each returns what to store, or a typed refusal ("not paused", "no revision 3").
 */
public final class Verbs {

    /** The env var whose value a restart changes: the template differs by it only, so a new revision rolls out. */
    public static final String RESTARTED_AT = "ROLLGATE_RESTARTED_AT";

    private Verbs() {}

    /**
     * A new spec from {@code apply}, merged as kubectl's three-way apply does: the template and
     * {@code paused} change only if the file changed them since it was last applied, so an undo,
     * a restart or a pause survives re-applying the same file.
     */
    public static RolloutSpec apply(RolloutSpec applied, RolloutSpec lastApplied, RolloutSpec current) {
        boolean templateChanged = !applied.template().equals(lastApplied.template());
        boolean pausedChanged = applied.paused() != lastApplied.paused();
        Template template = templateChanged ? applied.template() : current.template();
        boolean paused = pausedChanged ? applied.paused() : current.paused();
        return applied.withTemplate(template).withPaused(paused);
    }

    /** The status after {@code apply}: a new template forgets an earlier automatic abort. */
    public static RolloutStatus applied(RolloutSpec before, RolloutSpec after, RolloutStatus status) {
        return before.template().equals(after.template()) ? status : status.withAbort(0, null);
    }

    /**
     * What {@code verb} does to a stored rollout: the one transition both platforms run. {@code groups}: the
     * revisions that run or ran (for undo); {@code undoRefusal}: why going back to a revision is not safe.
     */
    public static VerbResult apply(Verb verb, String name, RolloutSpec spec, RolloutStatus status, List<Observed.Group> groups, Instant now,
                                   BiFunction<Integer, String, Optional<String>> undoRefusal) {
        return switch (verb) {
            case Verb.Undo u -> undo(name, spec, status, groups, u.toRevision(), undoRefusal);
            case Verb.Restart r -> restart(name, spec, status, now);
            case Verb.Pause p -> pause(name, spec, status, true);
            case Verb.Resume r -> pause(name, spec, status, false);
            case Verb.Promote p -> promote(name, spec, status, p.full(), now);
            case Verb.Abort a -> abort(name, spec, status, now);
            case Verb.Retry r -> retry(name, spec, status, now);
        };
    }

    /**
     * {@code rollout undo}: the template of revision {@code toRevision} (0: the newest one before
     * the current). {@code refusal} says why going back to a revision is not safe (a contract migration ran since).
     */
    public static VerbResult undo(String name, RolloutSpec spec, RolloutStatus status, List<Observed.Group> groups, int toRevision,
                                  BiFunction<Integer, String, Optional<String>> refusal) {
        String hash = TemplateHash.of(spec.template());
        Observed.Group target;
        if (toRevision == 0) {
            target = groups.stream().filter(g -> !g.hash().equals(hash)).max(Comparator.comparingInt(Observed.Group::revision)).orElse(null);
            if (target == null) return new VerbResult.Refused(VerbResult.Kind.CONFLICT, "no earlier revision of " + name + " to roll back to");
        } else {
            target = groups.stream().filter(g -> g.revision() == toRevision).findFirst().orElse(null);
            if (target == null) {
                return new VerbResult.Refused(VerbResult.Kind.NOT_FOUND, "revision " + toRevision + " of " + name + " not found; revisions: "
                        + groups.stream().map(g -> Integer.toString(g.revision())).toList());
            }
        }
        if (target.hash().equals(hash)) {
            return new VerbResult.Done(spec, status, List.of(), "skipped rollback (revision " + target.revision() + " is the current template)");
        }
        Optional<String> refused = refusal.apply(target.revision(), target.hash());
        if (refused.isPresent()) return new VerbResult.Refused(VerbResult.Kind.CONFLICT, "refused: " + refused.get());
        return new VerbResult.Done(spec.withTemplate(target.template()), status.withAbort(0, null),
                List.of(new RolloutEvent("Normal", "RollbackStarted", name, "rolling back to the template of revision " + target.revision())),
                "rolled back to revision " + target.revision());
    }

    /** {@code rollout restart}: a new template that differs only by its restart stamp, rolled out as usual. */
    public static VerbResult restart(String name, RolloutSpec spec, RolloutStatus status, Instant at) {
        RolloutStatus s = status.withAbort(0, null);
        Template restarted = spec.template().withEnv(RESTARTED_AT, at.toString());
        if (Pass.progressive(spec) && s.progressive() != null) {
            // Same program, new stamp: no steps or analysis to go through, as Argo's restart.
            ProgressiveState st = s.progressive().state();
            String hash = TemplateHash.of(restarted);
            s = Rollback.withState(s, spec.strategy() instanceof Strategy.Canary c
                    ? CanarySteps.restart(c, st, hash, at) : BlueGreenSteps.restart(st, hash, at));
        }
        return new VerbResult.Done(spec.withTemplate(restarted), s,
                List.of(new RolloutEvent("Normal", "Restarted", name, "rolling restart of " + name)), "restarted");
    }

    /** {@code rollout pause} and {@code resume}. */
    public static VerbResult pause(String name, RolloutSpec spec, RolloutStatus status, boolean paused) {
        String result = paused ? "paused" : "resumed";
        if (spec.paused() == paused) return new VerbResult.Done(spec, status, List.of(), result);
        return new VerbResult.Done(spec.withPaused(paused), status, List.of(new RolloutEvent("Normal", paused ? "Paused" : "Resumed", name,
                paused ? "rollout paused" : "rollout resumed")), result);
    }

    /** {@code rollout promote [--full]}: past the current step (or all of them) of a canary or blue-green rollout. */
    public static VerbResult promote(String name, RolloutSpec spec, RolloutStatus status, boolean full, Instant now) {
        ProgressiveState baking = status.progressive() == null ? null : status.progressive().state();
        if (Pass.progressive(spec) && baking != null && baking.baking()) {
            return new VerbResult.Done(spec, Rollback.withState(status, baking.bakeEnded()), List.of(new RolloutEvent("Normal", "BakeCompleted",
                    name, "bake ended by 'rollout promote'; the previous revision (" + baking.scaleDownHash() + ") is scaled down")), "bake ended");
        }
        var flight = inFlight(name, spec, status, "promote");
        if (flight instanceof VerbResult.Refused r) return r;
        ProgressiveState st = status.progressive().state();
        if (st.aborted()) {
            return new VerbResult.Refused(VerbResult.Kind.CONFLICT, name + " was aborted (" + st.abortMessage() + "); 'rollout retry' starts it again");
        }
        ProgressiveState next = spec.strategy() instanceof Strategy.Canary c
                ? CanarySteps.promote(c, st, full, now) : BlueGreenSteps.promote(st, full, now);
        return new VerbResult.Done(spec, Rollback.withState(status, next), List.of(new RolloutEvent("Normal", "Promoted", name,
                full ? "promoted in full: remaining steps and analysis skipped" : "promoted past the current step")),
                full ? "promoted (full)" : "promoted");
    }

    /** {@code rollout abort}: all traffic back to stable; the rollout stays aborted until retry, undo or a new template. */
    public static VerbResult abort(String name, RolloutSpec spec, RolloutStatus status, Instant now) {
        var flight = inFlight(name, spec, status, "abort");
        if (flight instanceof VerbResult.Refused r) return r;
        ProgressiveState st = status.progressive().state();
        if (st.aborted()) return new VerbResult.Done(spec, status, List.of(), "already aborted");
        String message = Rollback.abortMessage(st, "aborted by 'rollout abort'");
        return new VerbResult.Done(spec, Rollback.withState(status, st.abort(message, now)),
                List.of(new RolloutEvent("Warning", "RolloutAborted", name, message)), "aborted");
    }

    /** {@code rollout retry}: an aborted canary or blue-green rollout starts again from its first step. */
    public static VerbResult retry(String name, RolloutSpec spec, RolloutStatus status, Instant now) {
        var flight = inFlight(name, spec, status, "retry");
        if (flight instanceof VerbResult.Refused r) return r;
        ProgressiveState st = status.progressive().state();
        if (!st.aborted()) return new VerbResult.Refused(VerbResult.Kind.CONFLICT, name + " is not aborted; nothing to retry");
        return new VerbResult.Done(spec, Rollback.withState(status, st.retry(now)), List.of(new RolloutEvent("Normal", "Retried", name,
                "rollout of " + st.canaryHash() + " starts again from its first step")), "retrying");
    }

    /** Refused unless a canary or blue-green rollout is in flight. */
    private static VerbResult inFlight(String name, RolloutSpec spec, RolloutStatus status, String verb) {
        if (!Pass.progressive(spec)) {
            return new VerbResult.Refused(VerbResult.Kind.CONFLICT, verb + " is for canary and blue-green rollouts; " + name + " uses "
                    + (spec.strategy() instanceof Strategy.Recreate ? "Recreate" : "RollingUpdate"));
        }
        ProgressiveState st = status.progressive() == null ? null : status.progressive().state();
        if (st != null && st.baking()) {
            return new VerbResult.Refused(VerbResult.Kind.CONFLICT, name + " is baking its new revision: 'rollout undo' goes back to the warm"
                    + " previous revision, 'rollout promote' ends the bake");
        }
        if (st == null || st.canaryHash() == null) {
            return new VerbResult.Refused(VerbResult.Kind.CONFLICT, name + " has no rollout in progress (it is on its stable revision)");
        }
        return null;
    }
}
