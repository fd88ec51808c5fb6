package dev.rollgate.rollout;

import dev.rollgate.spec.AnalysisRef;
import dev.rollgate.spec.CanaryStep;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a canary or blue-green rollout wants right now: the size of each revision, where the
 * traffic goes, which analysis runs should be running, and what happened.
 *
 * @param desired          replicas per revision hash; a revision not listed has 0
 * @param weights          main-port traffic share per revision hash (percent)
 * @param preview          the revision the preview port and header serve, or null
 * @param routes           header routes to the canary
 * @param analyses         analysis runs wanted now, by run key; runs not listed are stopped
 * @param events           what happened in this pass
 * @param wakeAt           when a timed wait ends (a pause step, auto-promotion, a scale-down delay), or null
 * @param waitingOnReplicas whether the rollout waits for replicas to become available (the progress deadline applies)
 * @param stepLabel        where the rollout stands, for status lines ("step 2/5 setWeight 20", "preview ready")
 * @param revertTo         a revision whose template the controller puts back (a bake that failed), or null
 * @param revertReason     why, for the status's abort message
 * @param mirror           requests copied to the canary and judged, or null
 */
public record ProgressivePlan(ProgressiveState state, Map<String, Integer> desired, Map<String, Integer> weights, String preview,
                              List<HeaderRoute> routes, Map<String, AnalysisRef> analyses, List<Event> events, Instant wakeAt,
                              boolean waitingOnReplicas, String stepLabel, String revertTo, String revertReason, Mirror mirror) {

    public ProgressivePlan(ProgressiveState state, Map<String, Integer> desired, Map<String, Integer> weights, String preview,
                           List<HeaderRoute> routes, Map<String, AnalysisRef> analyses, List<Event> events, Instant wakeAt,
                           boolean waitingOnReplicas, String stepLabel) {
        this(state, desired, weights, preview, routes, analyses, events, wakeAt, waitingOnReplicas, stepLabel, null, null, null);
    }

    /** A mirror route in force: copies of requests to {@code revision}. */
    public record Mirror(String revision, CanaryStep.SetMirrorRoute route) {}

    /** The same plan, asking the controller to put back the template of {@code hash}. */
    ProgressivePlan revertingTo(String hash, String reason) {
        return new ProgressivePlan(state, desired, weights, preview, routes, analyses, events, wakeAt, waitingOnReplicas, stepLabel,
                hash, reason, mirror);
    }

    /** A header route: requests matching every header go to {@code revision}. */
    public record HeaderRoute(String name, List<CanaryStep.HeaderMatch> match, String revision) {}

    /** An event of the rollout, with a Kubernetes-style reason. */
    public record Event(String type, String reason, String message) {}

    /** Whether the rollout of the current template is over: users are on it and nothing is left to run. */
    public boolean settled() {
        return state.canaryHash() == null;
    }
}
