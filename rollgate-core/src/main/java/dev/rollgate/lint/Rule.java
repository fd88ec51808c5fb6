package dev.rollgate.lint;

import java.util.List;

/** A lint check: stable id, severity, the failure it prevents, and how to fix it. */
public record Rule(String id, Severity severity, String why, String fix) {

    public static final List<Rule> ALL = List.of(
            new Rule("readiness-probe-missing", Severity.error,
                    "a Service sends traffic to this pod as soon as its process starts, before it can serve: requests fail during every rollout",
                    "add a readinessProbe that checks the pod can serve (not just that the port is open)"),
            new Rule("probes-identical", Severity.warning,
                    "readiness and liveness are the same check: a slow dependency fails both and the kubelet restarts pods that only needed to leave traffic",
                    "make liveness check only the process itself (e.g. /health/live) and keep dependencies in readiness"),
            new Rule("liveness-checks-dependencies", Severity.warning,
                    "liveness uses the readiness path, so a dependency outage restarts every pod at once (a restart storm)",
                    "point liveness at an endpoint that checks only this process"),
            new Rule("startup-probe-missing", Severity.warning,
                    "a large liveness initialDelaySeconds guesses the start time: too short kills slow starts, too long delays restarts of hung pods",
                    "add a startupProbe (failureThreshold x periodSeconds >= worst start time) and drop the liveness delay"),
            new Rule("readiness-success-threshold", Severity.info,
                    "one successful probe makes the pod ready; a pod that flaps between ready and not ready gets traffic too early",
                    "consider readinessProbe.successThreshold: 2"),
            new Rule("surge-and-unavailable-zero", Severity.error,
                    "maxSurge and maxUnavailable are both 0: no replica can ever be replaced (Kubernetes rejects it)",
                    "set maxSurge: 1 (or 25%) and keep maxUnavailable: 0"),
            new Rule("max-unavailable-all", Severity.error,
                    "maxUnavailable allows every replica down at once: a rollout is an outage",
                    "set maxUnavailable to 0 or 25% and use maxSurge for speed"),
            new Rule("single-replica", Severity.warning,
                    "one replica means downtime on every rollout, node drain and crash",
                    "run at least 2 replicas (or an HPA with minReplicas >= 2)"),
            new Rule("prestop-missing", Severity.warning,
                    "SIGTERM and endpoint removal happen at the same time: load balancers keep sending requests to a pod that is shutting down",
                    "add lifecycle.preStop.sleep.seconds (5 is common) so endpoints update before SIGTERM"),
            new Rule("grace-period-too-short", Severity.error,
                    "the preStop sleep uses up terminationGracePeriodSeconds, so the app is SIGKILLed before it can drain",
                    "make terminationGracePeriodSeconds longer than the preStop sleep plus the app's drain time"),
            new Rule("pdb-missing", Severity.warning,
                    "without a PodDisruptionBudget a node drain can evict every replica at once",
                    "add a PodDisruptionBudget with maxUnavailable: 1 selecting these pods"),
            new Rule("pdb-blocks-eviction", Severity.error,
                    "this PodDisruptionBudget allows no eviction at all: node drains and cluster upgrades hang",
                    "use maxUnavailable: 1 (or minAvailable below the replica count)"),
            new Rule("no-topology-spread", Severity.info,
                    "all replicas may land on one node or zone and go down together",
                    "add topologySpreadConstraints (or pod anti-affinity) on kubernetes.io/hostname"),
            new Rule("image-not-pinned", Severity.warning,
                    "a moving image tag means a rollout or a rollback may run code nobody reviewed",
                    "use an immutable tag, and a digest (@sha256:...) to be sure"),
            new Rule("resources-missing", Severity.warning,
                    "without requests the scheduler packs pods blindly, and a surge during rollout can starve the node",
                    "set resources.requests for cpu and memory (and a memory limit)"),
            new Rule("secret-in-env", Severity.error,
                    "a secret written into the manifest ends up in Git, in kubectl describe output and in every replica's environment dump",
                    "use valueFrom.secretKeyRef"),
            new Rule("progress-deadline-missing", Severity.warning,
                    "without an explicit progress deadline a stuck rollout is reported only after the 600 s default, and nothing rolls it back",
                    "set progressDeadlineSeconds to a little more than the worst expected rollout time"),
            new Rule("min-ready-seconds-zero", Severity.info,
                    "a pod counts as available the moment it is ready, so a crash right after start still lets the rollout move on",
                    "set minReadySeconds (e.g. 10) so new pods must stay ready before old ones go"));

    public static Rule get(String id) {
        return ALL.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }
}
