package dev.rollgate.controller;

import dev.rollgate.rollout.ProgressivePlan;
import java.util.List;
import java.util.Map;

/**
 * Where a service's requests go. {@link #BY_READINESS} is a rolling update's: one share per ready
 * replica. A canary or blue-green sets weights per revision hash, the revision the preview serves,
 * header routes, and the stable revision that masked errors are retried on.
 */
public record TrafficPlan(Map<String, Integer> weights, String preview, String stable, List<ProgressivePlan.HeaderRoute> routes,
                          boolean masking) {

    public static final TrafficPlan BY_READINESS = new TrafficPlan(null, null, null, List.of(), false);

    public boolean byReadiness() {
        return weights == null;
    }
}
