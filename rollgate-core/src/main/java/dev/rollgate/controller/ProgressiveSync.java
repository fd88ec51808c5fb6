package dev.rollgate.controller;

import dev.rollgate.analysis.AnalysisPhase;
import dev.rollgate.analysis.AnalysisRunView;
import dev.rollgate.rollout.BlueGreenSteps;
import dev.rollgate.rollout.CanarySteps;
import dev.rollgate.rollout.ProgressivePlan;
import dev.rollgate.rollout.ProgressiveState;
import dev.rollgate.spec.CanaryStep;
import dev.rollgate.spec.Strategy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A canary or blue-green pass: the pure step ({@link CanarySteps} or {@link BlueGreenSteps}) says
 * how big each revision should be, where traffic goes and which analysis runs should run; this
 * turns its plan into actions, events and the status's progressive part.
 */
final class ProgressiveSync {

    private ProgressiveSync() {}

    static ProgressivePlan step(Pass p, String hash) {
        Map<String, AnalysisPhase> phases = new HashMap<>();
        Map<String, String> why = new HashMap<>();
        for (AnalysisRunView run : p.observed.analysis()) {
            phases.put(run.key(), run.phase());
            String w = run.why();
            if (w != null) why.put(run.key(), w);
        }
        var observed = new CanarySteps.Observed(hash, p.counts(), phases, why, p.spec.paused(), p.now, p.withinRollbackWindow);
        ProgressiveState state = state(p);
        ProgressivePlan plan = p.spec.strategy() instanceof Strategy.Canary c
                ? CanarySteps.plan(p.spec.replicas(), c, state, observed)
                : BlueGreenSteps.plan(p.spec.replicas(), (Strategy.BlueGreen) p.spec.strategy(), state, observed);
        for (Observed.Group g : List.copyOf(p.groups)) {
            int want = plan.desired().getOrDefault(g.hash(), 0);
            if (want != g.replicas()) p.scale(g, want, "");
        }
        ProgressiveState st = plan.state();
        if (st.baking()) {
            // The bake judges the new stable against the previous revision's last numbers before promotion.
            p.actions.add(new Action.RunAnalyses(plan.analyses(), st.scaleDownHash(), st.stableHash()));
        } else {
            p.actions.add(new Action.RunAnalyses(plan.analyses(), st.stableHash(), st.canaryHash() == null ? hash : st.canaryHash()));
        }
        p.actions.add(new Action.SetTraffic(traffic(p, plan)));
        p.actions.add(new Action.SetPreviewPort(p.spec.strategy() instanceof Strategy.BlueGreen bg && bg.previewPort() != null
                ? bg.previewPort() : 0));
        for (ProgressivePlan.Event e : plan.events()) p.event(e.type(), e.reason(), e.message());
        p.status = p.status.withProgressive(new RolloutStatus.Progressive(p.spec.strategy() instanceof Strategy.Canary ? "Canary" : "BlueGreen",
                st, plan.stepLabel(), plan.weights(), plan.preview(), p.observed.analysis()));
        if (plan.wakeAt() != null) p.wakeAt = plan.wakeAt();
        if (plan.revertTo() != null) revert(p, hash, plan);
        return plan;
    }

    /** A bake failed: the previous template is put back (its warm replicas serve already), as a deadline's rollback does. */
    private static void revert(Pass p, String hash, ProgressivePlan plan) {
        Observed.Group target = p.group(plan.revertTo());
        Observed.Group cur = p.group(hash);
        if (target == null || cur == null) return;
        p.spec = p.spec.withTemplate(target.template());
        p.status = p.status.withAbort(cur.revision(), plan.revertReason());
        p.wakeAt = p.now;
    }

    /** The spec moved to RollingUpdate or Recreate: no more explicit routes, preview listener or analysis. */
    static void leave(Pass p) {
        if (p.status.progressive() != null) p.status = p.status.withProgressive(null);
        p.actions.add(new Action.SetTraffic(TrafficPlan.BY_READINESS));
        p.actions.add(new Action.SetPreviewPort(0));
        p.actions.add(new Action.RunAnalyses(Map.of(), null, null));
    }

    /** The stored state; a service that switched strategy starts from its last complete revision as stable. */
    private static ProgressiveState state(Pass p) {
        if (p.status.progressive() != null) return p.status.progressive().state();
        Observed.Group last = p.groups.stream().filter(g -> g.revision() == p.status.lastCompleteRevision()).findFirst().orElse(null);
        return last == null ? ProgressiveState.NONE
                : new ProgressiveState(last.hash(), null, 0, null, null, null, false, false, null, null, null, null, null, 0, false);
    }

    /** The plan as routing: weights, preview, header routes (and the preview header of a blue-green), stable for masking. */
    private static TrafficPlan traffic(Pass p, ProgressivePlan plan) {
        List<ProgressivePlan.HeaderRoute> routes = new ArrayList<>(plan.routes());
        if (p.spec.strategy() instanceof Strategy.BlueGreen bg && bg.previewHeader() != null && plan.preview() != null) {
            routes.add(new ProgressivePlan.HeaderRoute("preview", List.of(new CanaryStep.HeaderMatch(bg.previewHeader().name(),
                    bg.previewHeader().value(), null, null)), plan.preview()));
        }
        boolean masking = p.spec.service() != null && p.spec.service().errorMasking();
        ProgressiveState st = plan.state();
        return new TrafficPlan(plan.weights(), plan.preview(), st.stableHash(), routes, masking,
                st.baking() ? st.scaleDownHash() : st.stableHash(), plan.mirror());
    }
}
