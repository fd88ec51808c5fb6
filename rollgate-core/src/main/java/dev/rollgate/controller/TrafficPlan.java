package dev.rollgate.controller;

import dev.rollgate.rollout.ProgressivePlan;
import java.util.List;
import java.util.Map;

/**
 * Where a service's requests go. {@link #BY_READINESS} is a rolling update's: one share per ready
 * replica. A canary or blue-green sets weights per revision hash, the revision the preview serves,
 * header routes, and the stable revision.
 *
 * @param maskOn where masked errors are retried: stable, or during a bake the warm previous revision
 * @param mirror requests copied to the canary and judged (a setMirrorRoute step), or null
 */
public record TrafficPlan(Map<String, Integer> weights, String preview, String stable, List<ProgressivePlan.HeaderRoute> routes,
                          boolean masking, String maskOn, ProgressivePlan.Mirror mirror) {

    public static final TrafficPlan BY_READINESS = new TrafficPlan(null, null, null, List.of(), false);

    public TrafficPlan(Map<String, Integer> weights, String preview, String stable, List<ProgressivePlan.HeaderRoute> routes, boolean masking,
                       String maskOn) {
        this(weights, preview, stable, routes, masking, maskOn, null);
    }

    /** Masked errors are retried on {@code stable}. */
    public TrafficPlan(Map<String, Integer> weights, String preview, String stable, List<ProgressivePlan.HeaderRoute> routes, boolean masking) {
        this(weights, preview, stable, routes, masking, stable);
    }

    public boolean byReadiness() {
        return weights == null;
    }
}
