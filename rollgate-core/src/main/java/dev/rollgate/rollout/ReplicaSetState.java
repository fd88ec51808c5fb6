package dev.rollgate.rollout;

/**
 * One revision's group of replicas as the controller sees it: desired ({@code replicas}), and how
 * many of its replicas exist, are ready, and are available ({@code minReadySeconds} ready).
 */
public record ReplicaSetState(int revision, int replicas, int current, int ready, int available) {

    public ReplicaSetState withReplicas(int n) {
        return new ReplicaSetState(revision, n, current, ready, available);
    }
}
