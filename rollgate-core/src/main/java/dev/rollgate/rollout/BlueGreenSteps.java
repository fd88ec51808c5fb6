package dev.rollgate.rollout;

import dev.rollgate.analysis.AnalysisPhase;
import dev.rollgate.spec.AnalysisRef;
import dev.rollgate.spec.Strategy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Argo Rollouts' blue-green as one pure step. The new revision comes up as preview (on the
 * preview port and header) beside the active one; once it is available, the pre-promotion
 * analysis runs, then promotion (automatic after autoPromotionSeconds, or by {@code rollout
 * promote}) scales it to full size and switches all traffic at once; the post-promotion analysis
 * can still switch it back. The old active keeps its replicas for scaleDownDelaySeconds.
 */
public final class BlueGreenSteps {

    static final int PREVIEW = 0, PROMOTING = 1, SWITCHED = 2;

    private BlueGreenSteps() {}

    public static ProgressivePlan plan(int replicas, Strategy.BlueGreen bg, ProgressiveState state, CanarySteps.Observed o) {
        List<ProgressivePlan.Event> events = new ArrayList<>();
        ProgressiveState s = state;
        String cur = o.currentHash();
        if (s.stableHash() == null) s = s.settled(cur);
        ProgressivePlan baking = BakeSteps.during(replicas, bg.bake(), bg.abortScaleDownDelaySeconds(), s, o, events, "active");
        if (baking != null) return baking;
        if (s.scaleDownHash() != null && (s.scaleDownHash().equals(cur) || !o.now().isBefore(s.scaleDownAt()))) s = s.withoutScaleDown();
        if (cur.equals(s.stableHash())) return CanarySteps.settledPlan(replicas, s.settled(cur), o, events, "active");
        if (!cur.equals(s.canaryHash())) {
            s = CanarySteps.started(s, cur, PROMOTING, o, events);
        }
        int previewSize = bg.previewReplicaCount() == null ? replicas : Math.min(bg.previewReplicaCount(), replicas);
        Map<String, AnalysisRef> runs = new LinkedHashMap<>();
        Instant wakeAt = null;
        boolean waiting = false;

        if (!s.aborted() && s.stepIndex() == PREVIEW) {
            if (o.available(cur) < previewSize) {
                waiting = true;
            } else {
                if (s.previewAvailableSince() == null) s = s.previewAvailable(o.now());
                Gate pre = gate(bg.prePromotionAnalysis(), "pre", "pre-promotion analysis", s, o, runs, events);
                s = pre.state();
                if (pre.phase() == AnalysisPhase.SUCCESSFUL && !s.paused() && !o.specPaused()) {
                    if (!bg.autoPromotionEnabled()) {
                        s = CanarySteps.pause(s, "BlueGreenPause", o, events);
                    } else {
                        Instant at = s.previewAvailableSince().plusSeconds(bg.autoPromotionSeconds());
                        if (o.now().isBefore(at)) {
                            wakeAt = at;
                        } else {
                            events.add(new ProgressivePlan.Event("Normal", "StepCompleted", "preview " + cur + " available; promoting"));
                            s = s.step(PROMOTING, o.now());
                        }
                    }
                }
            }
        }
        if (!s.aborted() && s.stepIndex() == PROMOTING) {
            if (o.available(cur) >= replicas) {
                events.add(new ProgressivePlan.Event("Normal", "RolloutPromoted", "active switched from " + o.label(s.stableHash()) + " to " + o.label(cur)));
                s = s.step(SWITCHED, o.now());
            } else {
                waiting = true;
            }
        }
        if (!s.aborted() && s.stepIndex() == SWITCHED) {
            Gate post = gate(bg.postPromotionAnalysis(), "post", "post-promotion analysis", s, o, runs, events);
            s = post.state();
            if (post.phase() == AnalysisPhase.SUCCESSFUL) {
                return BakeSteps.promoted(replicas, bg.bake(), bg.scaleDownDelaySeconds(), bg.abortScaleDownDelaySeconds(), s, o, events,
                        "active");
            }
        }
        if (s.aborted()) return CanarySteps.abortedPlan(replicas, bg.abortScaleDownDelaySeconds(), s, o, events);

        Map<String, Integer> desired = new LinkedHashMap<>();
        desired.put(s.stableHash(), replicas);
        desired.put(cur, s.stepIndex() == PREVIEW ? previewSize : replicas);
        String active = s.stepIndex() == SWITCHED ? cur : s.stableHash();
        String label = switch (s.stepIndex()) {
            case PREVIEW -> s.paused() ? "preview ready, waiting for promote" : "preview";
            case PROMOTING -> "promoting (scaling the preview to " + replicas + ")";
            default -> "switched; post-promotion analysis";
        };
        return new ProgressivePlan(s, desired, Map.of(active, 100), cur, List.of(), runs, events, wakeAt, waiting, label);
    }

    /** {@code rollout promote [--full]}: the preview is promoted now; {@code full} also skips the analyses. */
    public static ProgressiveState promote(ProgressiveState s, boolean full, Instant now) {
        return s.promote(full, s.stepIndex() == PREVIEW ? PROMOTING : s.stepIndex(), now);
    }

    /** {@code rollout restart}: the restarted template comes up in full and is switched to without analysis. */
    public static ProgressiveState restart(ProgressiveState s, String hash, Instant now) {
        return s.stableHash() == null ? s : s.restart(hash, PROMOTING, now);
    }

    /** What an analysis gate left: the state (aborted or paused by it) and the run's phase. */
    private record Gate(ProgressiveState state, AnalysisPhase phase) {}

    /**
     * Runs {@code ref} unless there is none or the promotion is full; Failed or Error aborts,
     * Inconclusive pauses, as for a canary's analysis step.
     */
    private static Gate gate(AnalysisRef ref, String prefix, String what, ProgressiveState s, CanarySteps.Observed o,
                             Map<String, AnalysisRef> runs, List<ProgressivePlan.Event> events) {
        if (ref == null || s.promoteFull()) return new Gate(s, AnalysisPhase.SUCCESSFUL);
        String key = prefix + "-" + s.runGeneration();
        runs.put(key, ref);
        AnalysisPhase phase = o.runs().getOrDefault(key, AnalysisPhase.PENDING);
        if (phase.aborts()) return new Gate(CanarySteps.abort(s, what + " " + phase + o.why(key), o, events), phase);
        if (phase == AnalysisPhase.INCONCLUSIVE && !s.paused()) return new Gate(CanarySteps.pause(s, "InconclusiveAnalysisRun", o, events), phase);
        return new Gate(s, phase);
    }
}
