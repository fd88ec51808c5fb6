package dev.rollgate.spec;

/**
 * What a Rollout needs only on Kubernetes: an existing Deployment whose pod template it takes
 * over ({@code spec.workloadRef}, as Argo Rollouts), and the Gateway API HTTPRoute whose backend
 * weights carry a canary's exact split ({@code strategy.canary.trafficRouting.gatewayAPI.httpRoute});
 * without one the split is approximated by replica counts.
 */
public record ClusterSpec(WorkloadRef workloadRef, String httpRoute) {

    /** An existing workload to take the pod template from and to scale down as the Rollout takes over. */
    public record WorkloadRef(String apiVersion, String kind, String name) {}
}
