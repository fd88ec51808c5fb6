package dev.rollgate.rollout;

/**
 * One revision's group of replicas as a pass of the controller sees it, the one view every planner
 * takes (rolling update, recreate, proportional scaling, canary and blue-green steps, history
 * cleanup): its revision number and template hash (the proxy's revision label), the label its
 * events use, its desired size ({@code replicas}), how many of its replicas exist ({@code current}),
 * are ready and are available ({@code minReadySeconds} ready), and the replica count and
 * {@code replicas + maxSurge} it was last scaled for (Kubernetes' desired-replicas and
 * max-replicas annotations, 0 when unknown).
 */
public record ReplicaSetState(int revision, String hash, String label, int replicas, int current, int ready, int available,
                              int desiredFor, int maxFor) {

    /** A group known by its numbers only (the arithmetic's tests): its hash is its revision number. */
    public ReplicaSetState(int revision, int replicas, int current, int ready, int available) {
        this(revision, Integer.toString(revision), "revision " + revision, replicas, current, ready, available, 0, 0);
    }

    public ReplicaSetState withReplicas(int n) {
        return new ReplicaSetState(revision, hash, label, n, current, ready, available, desiredFor, maxFor);
    }
}
