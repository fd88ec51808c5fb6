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

    public static ProgressivePlan decide(int replicas, Strategy.BlueGreen bg, ProgressiveState state, CanarySteps.Observed o) {
        List<ProgressivePlan.Event> events = new ArrayList<>();
        ProgressiveState s = state;
        String cur = o.currentHash();
        if (s.stableHash() == null) s = s.settled(cur);
        if (s.scaleDownHash() != null && (s.scaleDownHash().equals(cur) || !o.now().isBefore(s.scaleDownAt()))) s = s.withoutScaleDown();
        if (cur.equals(s.stableHash())) return stablePlan(replicas, s.settled(cur), o, events);
        if (!cur.equals(s.canaryHash())) {
            s = s.start(cur, o.now()).withoutScaleDown();
        }
        int previewSize = bg.previewReplicaCount() == null ? replicas : Math.min(bg.previewReplicaCount(), replicas);
        Map<String, AnalysisRef> runs = new LinkedHashMap<>();
        Instant wakeAt = null;
        boolean waiting = false;
        String label;

        if (!s.aborted() && s.stepIndex() == PREVIEW) {
            label = "preview";
            if (o.available(cur) < previewSize) {
                waiting = true;
            } else {
                if (s.previewAvailableSince() == null) s = s.previewAvailable(o.now());
                AnalysisPhase pre = AnalysisPhase.SUCCESSFUL;
                if (bg.prePromotionAnalysis() != null && !s.promoteFull()) {
                    String key = "pre-" + s.runGeneration();
                    runs.put(key, bg.prePromotionAnalysis());
                    pre = o.runs().getOrDefault(key, AnalysisPhase.PENDING);
                }
                if (pre.aborts()) {
                    s = CanarySteps.abort(s, "pre-promotion analysis " + pre + o.why("pre-" + s.runGeneration()), o, events);
                } else if (pre == AnalysisPhase.INCONCLUSIVE && !s.paused()) {
                    s = CanarySteps.pause(s, "InconclusiveAnalysisRun", o, events);
                } else if (pre == AnalysisPhase.SUCCESSFUL && !s.paused() && !o.specPaused()) {
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
            AnalysisPhase post = AnalysisPhase.SUCCESSFUL;
            if (bg.postPromotionAnalysis() != null && !s.promoteFull()) {
                String key = "post-" + s.runGeneration();
                runs.put(key, bg.postPromotionAnalysis());
                post = o.runs().getOrDefault(key, AnalysisPhase.PENDING);
            }
            if (post.aborts()) {
                s = CanarySteps.abort(s, "post-promotion analysis " + post + o.why("post-" + s.runGeneration()), o, events);
            } else if (post == AnalysisPhase.INCONCLUSIVE && !s.paused()) {
                s = CanarySteps.pause(s, "InconclusiveAnalysisRun", o, events);
            } else if (post == AnalysisPhase.SUCCESSFUL) {
                return stablePlan(replicas, s.promoted(o.now().plusSeconds(bg.scaleDownDelaySeconds())), o, events);
            }
        }
        if (s.aborted()) return CanarySteps.abortedPlan(replicas, bg.abortScaleDownDelaySeconds(), s, o, events);

        Map<String, Integer> desired = new LinkedHashMap<>();
        desired.put(s.stableHash(), replicas);
        desired.put(cur, s.stepIndex() == PREVIEW ? previewSize : replicas);
        String active = s.stepIndex() == SWITCHED ? cur : s.stableHash();
        label = switch (s.stepIndex()) {
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

    private static ProgressivePlan stablePlan(int replicas, ProgressiveState s, CanarySteps.Observed o, List<ProgressivePlan.Event> events) {
        Map<String, Integer> desired = new LinkedHashMap<>();
        desired.put(s.stableHash(), replicas);
        Instant wakeAt = null;
        if (s.scaleDownHash() != null) {
            desired.put(s.scaleDownHash(), o.replicas(s.scaleDownHash()));
            wakeAt = s.scaleDownAt();
        }
        return new ProgressivePlan(s, desired, Map.of(s.stableHash(), 100), null, List.of(), Map.of(), events, wakeAt,
                o.available(s.stableHash()) < replicas, "active");
    }
}
