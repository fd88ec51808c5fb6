package dev.rollgate.rollout;

/**
 * Argo Rollouts' canary without a traffic router: the weight is approximated by the ratio of
 * canary to stable replicas behind one service ({@code CalculateReplicaCountsForBasicCanary}).
 * Rollgate's own proxy splits traffic exactly, so this is for platforms that only count pods.
 */
public final class BasicCanary {

    /** Canary and stable replica counts whose ratio comes closest to the weight. */
    public record Counts(int canary, int stable) {}

    private BasicCanary() {}

    /**
     * Candidates are the floor and the ceiling of {@code replicas × weight / 100} canaries, out of
     * {@code replicas} in total or (when maxSurge allows one more) {@code replicas + 1}; the one whose
     * real share is closest to the weight wins, a tie going to more canaries. No canary at all is
     * only allowed at weight 0, or with one replica and no surge; no stable replica at all only at
     * weight 100 (Argo keeps one below it).
     */
    public static Counts counts(int replicas, int weight, int maxSurge) {
        if (replicas == 0) return new Counts(0, 0);
        if (weight <= 0) return new Counts(0, replicas);
        if (weight >= 100) return new Counts(replicas, 0);
        boolean zeroAllowed = replicas == 1 && maxSurge == 0;
        Counts best = null;
        double bestDistance = Double.MAX_VALUE;
        for (int total : maxSurge > 0 ? new int[] {replicas, replicas + 1} : new int[] {replicas}) {
            double exact = total * weight / 100.0;
            for (int canary : new int[] {(int) Math.floor(exact), (int) Math.ceil(exact)}) {
                if (canary == 0 && !zeroAllowed) continue;
                if (canary > replicas || total - canary > replicas || total - canary == 0) continue;
                double distance = Math.abs(100.0 * canary / total - weight);
                if (distance < bestDistance - 1e-9 || (Math.abs(distance - bestDistance) < 1e-9 && canary > best.canary())) {
                    best = new Counts(canary, total - canary);
                    bestDistance = distance;
                }
            }
        }
        return best != null ? best : new Counts(0, replicas);
    }
}
