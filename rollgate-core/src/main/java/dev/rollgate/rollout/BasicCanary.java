package dev.rollgate.rollout;

import java.util.ArrayList;
import java.util.List;

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
     * Argo's {@code approximateWeightedCanaryStableReplicaCounts}. The candidates, in Argo's order: the
     * ceiling, then the floor, of {@code replicas × weight / 100} canaries out of {@code replicas}; with
     * maxSurge above 0, the same two counts out of {@code replicas + 1}. The first candidate whose real
     * share is closest to the weight wins. A floor exactly halfway is dropped (so a tie goes to more
     * canaries); the ceiling out of {@code replicas} only counts while it leaves a stable replica. No
     * canary at all is allowed only at weights 0 and 100, or with one replica and no surge: that one
     * replica is then the stable's below 50 % and the canary's from 50 % (it can run only in the
     * stable's place). With two replicas or more, or a surge, a stable replica stays below 100 %, and a
     * canary above 0 %.
     */
    public static Counts counts(int replicas, int weight, int maxSurge) {
        if (replicas == 0) return new Counts(0, 0);
        int ceil = Math.ceilDiv(replicas * weight, 100), floor = replicas * weight / 100;
        boolean zeroAllowed = weight == 0 || weight == 100 || (replicas == 1 && maxSurge == 0);
        List<Counts> candidates = new ArrayList<>();
        if (ceil < replicas || zeroAllowed) candidates.add(new Counts(ceil, replicas - ceil));
        if (!halfway(replicas, weight) && (floor > 0 || zeroAllowed)) candidates.add(new Counts(floor, replicas - floor));
        if (maxSurge > 0) {
            candidates.add(new Counts(ceil, replicas + 1 - ceil));
            if (!halfway(replicas + 1, weight) && (floor > 0 || zeroAllowed)) candidates.add(new Counts(floor, replicas + 1 - floor));
        }
        // Argo's candidates run out where the ceiling is every replica and the floor is halfway (2 replicas at 75 %,
        // 10 at 95 %, no surge); its code says "should not get here" and returns no canary at all. The floor is the
        // count the weight asks for, so Rollgate takes it there: 1 canary and 1 stable, 9 and 1.
        Counts best = floor > 0 ? new Counts(floor, replicas - floor) : new Counts(0, replicas);
        double bestDistance = Double.MAX_VALUE;
        for (Counts c : candidates) {
            double distance = Math.abs(100.0 * c.canary() / (c.canary() + c.stable()) - weight);
            if (distance < bestDistance) {
                best = c;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** Whether {@code total × weight / 100} ends in exactly .5: floor and ceiling are then as far from the weight. */
    private static boolean halfway(int total, int weight) {
        return total * weight % 100 == 50;
    }
}
