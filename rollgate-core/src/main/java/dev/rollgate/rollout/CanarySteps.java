package dev.rollgate.rollout;

import dev.rollgate.analysis.AnalysisPhase;
import dev.rollgate.spec.AnalysisRef;
import dev.rollgate.spec.CanaryStep;
import dev.rollgate.spec.Durations;
import dev.rollgate.spec.Strategy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Argo Rollouts' canary with a traffic router, as one pure step: from the state, what is
 * available and how the analysis runs stand, to the plan for now. The proxy splits traffic by
 * weight exactly, so the canary is sized by {@code ceil(weight × replicas / 100)} (or
 * {@code setCanaryScale}) and stable stays at full size unless {@code dynamicStableScale}.
 */
public final class CanarySteps {

    /**
     * What the controller observed: the current template's hash, every revision's group ({@link ReplicaSetState}, found by
     * hash) and the analysis phases by run key; {@code why} says what decided a finished run;
     * {@code withinRollbackWindow}: the current template is a recent revision taken up again by an undo (its steps ran before).
     */
    public record Observed(String currentHash, List<ReplicaSetState> sets, Map<String, AnalysisPhase> runs, Map<String, String> why,
                           boolean specPaused, Instant now, boolean withinRollbackWindow) {

        /** Groups known by their available and desired replicas per template hash only (the steps' tests). */
        public Observed(String currentHash, Map<String, Integer> available, Map<String, Integer> replicas,
                        Map<String, AnalysisPhase> runs, boolean specPaused, Instant now) {
            this(currentHash, byHash(available, replicas), runs, Map.of(), specPaused, now, false);
        }

        private static List<ReplicaSetState> byHash(Map<String, Integer> available, Map<String, Integer> replicas) {
            Set<String> hashes = new TreeSet<>(available.keySet());
            hashes.addAll(replicas.keySet());
            return hashes.stream().map(h -> new ReplicaSetState(0, h, "revision " + h, replicas.getOrDefault(h, 0), 0, 0,
                    available.getOrDefault(h, 0), 0, 0)).toList();
        }

        private Optional<ReplicaSetState> set(String hash) {
            return sets.stream().filter(s -> s.hash().equals(hash)).findFirst();
        }

        String label(String hash) {
            return set(hash).map(ReplicaSetState::label).orElse("revision " + hash);
        }

        String why(String runKey) {
            String w = why.get(runKey);
            return w == null || w.isEmpty() ? "" : " (" + w + ")";
        }

        int available(String hash) {
            return set(hash).map(ReplicaSetState::available).orElse(0);
        }

        int replicas(String hash) {
            return set(hash).map(ReplicaSetState::replicas).orElse(0);
        }
    }

    private CanarySteps() {}

    public static ProgressivePlan plan(int replicas, Strategy.Canary canary, ProgressiveState state, Observed o) {
        List<ProgressivePlan.Event> events = new ArrayList<>();
        ProgressiveState s = state;
        String cur = o.currentHash();
        if (s.stableHash() == null) s = s.settled(cur); // the first revision: nothing to compare it with
        ProgressivePlan baking = BakeSteps.during(replicas, canary.bake(), canary.abortScaleDownDelaySeconds(), s, o, events, "stable");
        if (baking != null) return baking;
        if (s.scaleDownHash() != null && (s.scaleDownHash().equals(cur) || !o.now().isBefore(s.scaleDownAt()))) s = s.withoutScaleDown();
        if (cur.equals(s.stableHash())) return settledPlan(replicas, s.settled(cur), o, events, "stable");
        if (!cur.equals(s.canaryHash())) {
            s = started(s, cur, 0, o, events); // a newer template replaces any canary in flight
        }
        List<CanaryStep> steps = canary.steps();
        int n = steps.size();
        Map<String, AnalysisRef> runs = new LinkedHashMap<>();
        Instant wakeAt = null;
        boolean waitingOnReplicas = false;

        for (int guard = 0; guard <= n + 2 && !s.aborted(); guard++) {
            // Background analysis from its starting step: a failure aborts at any step.
            Strategy.BackgroundAnalysis bg = canary.analysis();
            if (bg != null && s.stepIndex() >= bg.startingStep() && s.stepIndex() < n && !s.promoteFull()) {
                String key = "background-" + s.runGeneration();
                runs.put(key, bg.run());
                AnalysisPhase phase = o.runs().get(key);
                if (phase != null && phase.aborts()) {
                    s = abort(s, "background analysis " + phase + o.why(key), o, events);
                    break;
                }
                if (phase == AnalysisPhase.INCONCLUSIVE && !s.paused()) s = pause(s, "InconclusiveAnalysisRun", o, events);
            }
            if (s.paused() || o.specPaused() || s.stepIndex() >= n || s.promoteFull()) break;
            int i = s.stepIndex();
            CanaryStep step = steps.get(i);
            boolean done = switch (step) {
                case CanaryStep.SetWeight w -> o.available(cur) >= canaryReplicas(replicas, steps, i);
                case CanaryStep.SetCanaryScale c -> o.available(cur) >= canaryReplicas(replicas, steps, i);
                case CanaryStep.SetHeaderRoute h -> true;
                case CanaryStep.SetMirrorRoute m -> true;
                case CanaryStep.Pause p -> p.duration() != null && !o.now().isBefore(s.stepStarted().plus(p.duration()));
                case CanaryStep.Analysis a -> o.runs().get(stepKey(s, i)) == AnalysisPhase.SUCCESSFUL;
            };
            if (!done) {
                if (step instanceof CanaryStep.SetWeight || step instanceof CanaryStep.SetCanaryScale) waitingOnReplicas = true;
                if (step instanceof CanaryStep.Pause p) {
                    if (p.duration() == null) s = pause(s, "CanaryPauseStep", o, events);
                    else wakeAt = s.stepStarted().plus(p.duration());
                }
                if (step instanceof CanaryStep.Analysis a) {
                    String key = stepKey(s, i);
                    runs.put(key, a.analysis());
                    AnalysisPhase phase = o.runs().get(key);
                    if (phase != null && phase.aborts()) s = abort(s, "analysis at step " + (i + 1) + " " + phase + o.why(key), o, events);
                    else if (phase == AnalysisPhase.INCONCLUSIVE) s = pause(s, "InconclusiveAnalysisRun", o, events);
                }
                break;
            }
            events.add(new ProgressivePlan.Event("Normal", "StepCompleted", "step " + (i + 1) + "/" + n + " " + describe(step) + " completed"));
            s = s.step(i + 1, o.now());
        }

        if (s.aborted()) return abortedPlan(replicas, canary.abortScaleDownDelaySeconds(), s, o, events);
        String stable = s.stableHash();
        Map<String, Integer> desired = new LinkedHashMap<>();
        Map<String, Integer> weights = new LinkedHashMap<>();
        boolean promoting = s.stepIndex() >= n || s.promoteFull();
        if (promoting) {
            desired.put(cur, replicas);
            if (o.available(cur) >= replicas) {
                events.add(new ProgressivePlan.Event("Normal", "RolloutPromoted", o.label(cur) + " is stable now; all traffic moved to it"));
                return BakeSteps.promoted(replicas, canary.bake(), canary.scaleDownDelaySeconds(), canary.abortScaleDownDelaySeconds(), s, o,
                        events, "stable");
            }
            waitingOnReplicas = true;
        } else {
            desired.put(cur, canaryReplicas(replicas, steps, s.stepIndex()));
        }
        int weight = routedWeight(steps, s.stepIndex());
        int stableReplicas = canary.dynamicStableScale() ? Math.max(ceilShare(100 - weight, replicas), 0) : replicas;
        desired.put(stable, stableReplicas);
        weights.put(stable, 100 - weight);
        weights.put(cur, weight);
        String label = promoting ? "promoting (scaling the canary to " + replicas + ")"
                : "step " + (s.stepIndex() + 1) + "/" + n + " " + describe(steps.get(s.stepIndex()));
        ProgressivePlan.Mirror mirror = promoting ? null : mirror(steps, s.stepIndex(), cur);
        if (mirror != null) {
            label += " (mirroring " + (mirror.route().percentage() == null ? 100 : mirror.route().percentage()) + "% of "
                    + (mirror.route().match().isEmpty() ? "GET and HEAD requests" : "matching requests") + " to the canary)";
        }
        return new ProgressivePlan(s, desired, weights, null, headerRoutes(steps, s.stepIndex(), cur), runs, events, wakeAt,
                waitingOnReplicas, label, null, null, mirror);
    }

    /**
     * A rollout of {@code cur} begins: from the first step, or, when an undo took up a revision
     * within the rollback window, straight to full size ({@code step}: where that leaves it).
     */
    static ProgressiveState started(ProgressiveState s, String cur, int step, Observed o, List<ProgressivePlan.Event> events) {
        if (!o.withinRollbackWindow()) return s.start(cur, o.now()).withoutScaleDown();
        events.add(new ProgressivePlan.Event("Normal", "RollbackWindow", o.label(cur) + " is within the rollback window:"
                + " its steps and analysis ran before and are skipped"));
        return s.restart(cur, step, o.now());
    }

    /** {@code rollout promote [--full]}: past the current step, or past all of them. */
    public static ProgressiveState promote(Strategy.Canary canary, ProgressiveState s, boolean full, Instant now) {
        int n = canary.steps().size();
        return s.promote(full, full ? s.stepIndex() : Math.min(s.stepIndex() + 1, n), now); // full: the weight stays until the canary is full
    }

    /** {@code rollout restart}: the restarted template skips the steps and the analysis. */
    public static ProgressiveState restart(Strategy.Canary canary, ProgressiveState s, String hash, Instant now) {
        return s.stableHash() == null ? s : s.restart(hash, 0, now);
    }

    /** Users are on one revision; the one before it keeps its replicas until its scale-down delay ends. */
    static ProgressivePlan settledPlan(int replicas, ProgressiveState s, Observed o, List<ProgressivePlan.Event> events, String label) {
        Map<String, Integer> desired = new LinkedHashMap<>();
        desired.put(s.stableHash(), replicas);
        Instant wakeAt = null;
        if (s.scaleDownHash() != null) {
            desired.put(s.scaleDownHash(), o.replicas(s.scaleDownHash()));
            wakeAt = s.scaleDownAt();
        }
        return new ProgressivePlan(s, desired, Map.of(s.stableHash(), 100), null, List.of(), Map.of(), events, wakeAt,
                o.available(s.stableHash()) < replicas, label);
    }

    /** An aborted rollout: all traffic on stable; the canary keeps its replicas for abortScaleDownDelaySeconds (0: until replaced). */
    static ProgressivePlan abortedPlan(int replicas, int abortDelay, ProgressiveState s, Observed o, List<ProgressivePlan.Event> events) {
        Map<String, Integer> desired = new LinkedHashMap<>();
        desired.put(s.stableHash(), replicas);
        Instant until = s.abortedAt().plusSeconds(abortDelay);
        boolean keep = abortDelay == 0 || o.now().isBefore(until);
        desired.put(s.canaryHash(), keep ? o.replicas(s.canaryHash()) : 0);
        return new ProgressivePlan(s, desired, Map.of(s.stableHash(), 100), null, List.of(), Map.of(), events,
                keep && abortDelay > 0 ? until : null, false, "aborted");
    }

    static ProgressiveState abort(ProgressiveState s, String why, Observed o, List<ProgressivePlan.Event> events) {
        events.add(new ProgressivePlan.Event("Warning", "AnalysisFailed", why));
        String message = o.label(s.canaryHash()) + " aborted: " + why + "; all traffic is back on " + o.label(s.stableHash());
        events.add(new ProgressivePlan.Event("Warning", "RolloutAborted", message));
        return s.abort(message, o.now());
    }

    static ProgressiveState pause(ProgressiveState s, String reason, Observed o, List<ProgressivePlan.Event> events) {
        events.add(new ProgressivePlan.Event("Normal", "RolloutPaused", reason + ": waiting for 'rollgate rollout promote'"));
        return s.pause(reason, o.now());
    }

    private static String stepKey(ProgressiveState s, int index) {
        return "step-" + (index + 1) + "-" + s.runGeneration();
    }

    /** The canary's size at step {@code index}: the last setCanaryScale up to it, else the share of the last setWeight up to it. */
    static int canaryReplicas(int replicas, List<CanaryStep> steps, int index) {
        Integer scale = null;
        int weight = 0;
        for (int i = 0; i <= Math.min(index, steps.size() - 1); i++) {
            switch (steps.get(i)) {
                case CanaryStep.SetWeight w -> weight = w.weight();
                case CanaryStep.SetCanaryScale c -> scale = c.matchTrafficWeight() ? null
                        // An explicit count may exceed spec.replicas, as in Argo (a canary larger than stable, for a load test).
                        : c.replicas() != null ? c.replicas() : Integer.valueOf(ceilShare(c.weight(), replicas));
                default -> { }
            }
        }
        return scale != null ? scale : ceilShare(weight, replicas);
    }

    /** The weight the canary gets at step {@code index}: that of the last setWeight completed before it. */
    static int routedWeight(List<CanaryStep> steps, int index) {
        int weight = 0;
        for (int i = 0; i < Math.min(index, steps.size()); i++) {
            if (steps.get(i) instanceof CanaryStep.SetWeight w) weight = w.weight();
        }
        return weight;
    }

    private static List<ProgressivePlan.HeaderRoute> headerRoutes(List<CanaryStep> steps, int index, String canary) {
        Map<String, ProgressivePlan.HeaderRoute> routes = new LinkedHashMap<>();
        for (int i = 0; i < Math.min(index, steps.size()); i++) {
            if (steps.get(i) instanceof CanaryStep.SetHeaderRoute h) {
                if (h.match().isEmpty()) routes.remove(h.name());
                else routes.put(h.name(), new ProgressivePlan.HeaderRoute(h.name(), h.match(), canary));
            }
        }
        return List.copyOf(routes.values());
    }

    /** The mirror route in force at step {@code index}: one at a time, a newer one replacing it, a removal by name ending it. */
    private static ProgressivePlan.Mirror mirror(List<CanaryStep> steps, int index, String canary) {
        CanaryStep.SetMirrorRoute active = null;
        for (int i = 0; i < Math.min(index, steps.size()); i++) {
            if (!(steps.get(i) instanceof CanaryStep.SetMirrorRoute m)) continue;
            if (!m.removes()) active = m;
            else if (active != null && active.name().equals(m.name())) active = null;
        }
        return active == null ? null : new ProgressivePlan.Mirror(canary, active);
    }

    static int ceilShare(int percent, int replicas) {
        return (int) Math.ceil(percent * (double) replicas / 100);
    }

    public static String describe(CanaryStep step) {
        return switch (step) {
            case CanaryStep.SetWeight w -> "setWeight " + w.weight();
            case CanaryStep.Pause p -> p.duration() == null ? "pause" : "pause " + Durations.format(p.duration());
            case CanaryStep.Analysis a -> "analysis " + String.join(",", a.analysis().templates());
            case CanaryStep.SetCanaryScale c -> "setCanaryScale " + (c.matchTrafficWeight() ? "matchTrafficWeight"
                    : c.replicas() != null ? c.replicas() + " replicas" : c.weight() + "%");
            case CanaryStep.SetHeaderRoute h -> "setHeaderRoute " + h.name();
            case CanaryStep.SetMirrorRoute m -> "setMirrorRoute " + m.name() + (m.removes() ? " (removed)" : "");
        };
    }
}
