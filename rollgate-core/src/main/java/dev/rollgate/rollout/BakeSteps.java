package dev.rollgate.rollout;

import dev.rollgate.analysis.AnalysisPhase;
import dev.rollgate.spec.AnalysisRef;
import dev.rollgate.spec.Bake;
import dev.rollgate.spec.Durations;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bake after a canary or blue-green completes, as one pure step: users are all on the new
 * revision; the previous one keeps {@code keepPrevious} replicas, probed and out of routing; the
 * bake's analysis judges the new revision. A failed analysis (or {@code rollout undo}) gives the
 * traffic back to the warm replicas in one routing change; once the bake's time is over the
 * previous revision goes.
 */
public final class BakeSteps {

    /** Run keys of a bake's analysis start with this: the runner freezes the previous revision's numbers as its baseline. */
    public static final String RUN_PREFIX = "bake-";

    private BakeSteps() {}

    /**
     * The canary or preview just became stable: a bake when the strategy has one, else the old
     * stable keeps its replicas for the plain scale-down delay.
     */
    static ProgressivePlan promoted(int replicas, Bake bake, int scaleDownDelaySeconds, int abortDelaySeconds, ProgressiveState s,
                                    CanarySteps.Observed o, List<ProgressivePlan.Event> events, String label) {
        if (bake == null) return CanarySteps.settledPlan(replicas, s.promoted(o.now().plusSeconds(scaleDownDelaySeconds)), o, events, label);
        events.add(new ProgressivePlan.Event("Normal", "BakeStarted", "baking " + o.label(s.canaryHash()) + " for "
                + Durations.format(bake.duration()) + (bake.analysis() == null ? "" : " with analysis") + "; "
                + o.label(s.stableHash()) + " keeps " + bake.keep(replicas) + " replicas warm, out of routing"));
        return plan(replicas, bake, abortDelaySeconds, s.baked(o.now().plus(bake.duration())), o, events, label);
    }

    /**
     * A pass the bake decides, or null: {@code rollout undo} back to the warm revision, or users
     * on the baked one.
     */
    static ProgressivePlan during(int replicas, Bake bake, int abortDelaySeconds, ProgressiveState s, CanarySteps.Observed o,
                                  List<ProgressivePlan.Event> events, String label) {
        if (!s.baking()) return null;
        if (o.currentHash().equals(s.scaleDownHash())) {
            return rolledBack(replicas, abortDelaySeconds, s, o, events, "'rollout undo' during the bake", false);
        }
        return o.currentHash().equals(s.stableHash()) ? plan(replicas, bake, abortDelaySeconds, s, o, events, label) : null;
    }

    /**
     * A pass while {@code s} bakes ({@code s.baking()}, users on {@code s.stableHash()}): the plan
     * that keeps the previous revision warm, or the one that ends the bake or rolls it back.
     */
    private static ProgressivePlan plan(int replicas, Bake bake, int abortDelaySeconds, ProgressiveState s, CanarySteps.Observed o,
                                List<ProgressivePlan.Event> events, String label) {
        String previous = s.scaleDownHash();
        Map<String, AnalysisRef> runs = new LinkedHashMap<>();
        AnalysisPhase phase = AnalysisPhase.SUCCESSFUL;
        String key = RUN_PREFIX + s.runGeneration();
        if (bake != null && bake.analysis() != null) {
            runs.put(key, bake.analysis());
            phase = o.runs().getOrDefault(key, AnalysisPhase.PENDING);
        }
        if (phase.aborts()) {
            String why = "bake analysis " + phase + o.why(key);
            return rolledBack(replicas, abortDelaySeconds, s, o, events, why, true);
        }
        boolean over = !o.now().isBefore(s.scaleDownAt());
        if (bake == null || over && phase != AnalysisPhase.INCONCLUSIVE) {
            events.add(new ProgressivePlan.Event("Normal", "BakeCompleted", o.label(s.stableHash()) + " baked"
                    + (bake == null ? "" : " for " + Durations.format(bake.duration()))
                    + "; " + o.label(previous) + " is scaled down"));
            return CanarySteps.settledPlan(replicas, s.bakeEnded(), o, events, label);
        }
        Map<String, Integer> desired = new LinkedHashMap<>();
        desired.put(s.stableHash(), replicas);
        desired.put(previous, bake.keep(replicas));
        Map<String, Integer> weights = new LinkedHashMap<>();
        weights.put(s.stableHash(), 100);
        weights.put(previous, 0); // known to the router (a Service, a route), with no share: the way back is one change
        long left = Math.max(0, Duration.between(o.now(), s.scaleDownAt()).toSeconds());
        String text = phase == AnalysisPhase.INCONCLUSIVE
                ? "baking: analysis Inconclusive, " + o.label(previous) + " kept warm until 'rollout promote' or 'rollout undo'"
                : "baking (" + left + "s left; " + o.label(previous) + " warm with " + o.available(previous) + " of "
                + bake.keep(replicas) + " available)";
        return new ProgressivePlan(s, desired, weights, null, List.of(), runs, events, over ? null : s.scaleDownAt(),
                o.available(s.stableHash()) < replicas, text);
    }

    /**
     * The bake failed, or {@code rollout undo} went back to the warm revision: all traffic to it at
     * once, scaled back to full; the baked revision keeps its replicas out of routing for
     * abortScaleDownDelaySeconds (0: it goes at once). {@code revert}: the controller puts the
     * previous template back (an undo did that already).
     */
    private static ProgressivePlan rolledBack(int replicas, int abortDelaySeconds, ProgressiveState s, CanarySteps.Observed o,
                                      List<ProgressivePlan.Event> events, String why, boolean revert) {
        String baked = s.stableHash(), previous = s.scaleDownHash();
        if (revert) events.add(new ProgressivePlan.Event("Warning", "AnalysisFailed", why));
        String message = o.label(baked) + " rolled back during its bake: " + why + "; all traffic is back on " + o.label(previous)
                + " (" + o.available(previous) + " warm replicas ready)";
        events.add(new ProgressivePlan.Event("Warning", "BakeRolledBack", message));
        ProgressiveState back = s.bakeRolledBack(o.now().plusSeconds(abortDelaySeconds));
        ProgressivePlan plan = CanarySteps.settledPlan(replicas, back, o, events, "rolled back to " + o.label(previous));
        return revert ? plan.revertingTo(previous, message) : plan;
    }
}
