package dev.rollgate.rollout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' proportional scaling ({@code sync.go scale}): when {@code replicas} changes in the
 * middle of a rollout, every active group grows or shrinks in proportion to its size, so the
 * rollout keeps its shape instead of piling the change onto one revision.
 */
public final class ProportionalScaling {

    private ProportionalScaling() {}

    /** {@code isScalingEvent}: an active group was last scaled for another replica count. */
    public static boolean isScalingEvent(int desired, List<ReplicaSetState> groups) {
        return groups.stream().anyMatch(g -> g.replicas() > 0 && g.desiredFor() != desired);
    }

    /**
     * New sizes by revision (only for groups that change). {@code groups} is oldest first: on a tie the
     * younger group gets more and gives up less, as Kubernetes orders ReplicaSets by age.
     *
     * @param statusReplicas the rollout's current total of replicas (the fallback for a missing annotation)
     * @param newRevision    the current revision, or -1 when it has no group yet
     */
    public static Map<Integer, Integer> scale(int desired, int maxSurge, int statusReplicas, List<ReplicaSetState> groups, int newRevision) {
        Map<Integer, Integer> out = new LinkedHashMap<>();
        List<ReplicaSetState> active = groups.stream().filter(g -> g.replicas() > 0).toList();
        Comparator<ReplicaSetState> byAge = Comparator.comparingInt(groups::indexOf);
        if (active.size() <= 1) {
            ReplicaSetState target = active.isEmpty() ? groups.stream().max(byAge).orElse(null) : active.getFirst();
            if (target != null && target.replicas() != desired) out.put(target.revision(), desired);
            return out;
        }
        ReplicaSetState newGroup = groups.stream().filter(g -> g.revision() == newRevision).findFirst().orElse(null);
        if (newGroup != null && newGroup.replicas() == desired && newGroup.desiredFor() == desired && newGroup.available() == desired) {
            for (ReplicaSetState g : active) if (g != newGroup) out.put(g.revision(), 0); // saturated: the old ones go
            return out;
        }
        int allowed = desired > 0 ? desired + maxSurge : 0;
        int toAdd = allowed - active.stream().mapToInt(ReplicaSetState::replicas).sum();
        List<ReplicaSetState> sorted = new ArrayList<>(active);
        Comparator<ReplicaSetState> bySize = Comparator.comparingInt(ReplicaSetState::replicas).reversed();
        sorted.sort(toAdd > 0 ? bySize.thenComparing(byAge.reversed()) : bySize.thenComparing(byAge));
        int added = 0;
        int[] size = new int[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            ReplicaSetState g = sorted.get(i);
            int p = toAdd != 0 ? proportion(g, desired, maxSurge, statusReplicas, toAdd, added) : 0;
            size[i] = g.replicas() + p;
            added += p;
        }
        for (int i = 0; i < sorted.size(); i++) {
            if (i == 0 && toAdd != 0) size[i] += toAdd - added; // the leftover goes to the largest group
            size[i] = Math.max(size[i], 0);
            if (size[i] != sorted.get(i).replicas()) out.put(sorted.get(i).revision(), size[i]);
        }
        return out;
    }

    /** {@code GetProportion}: this group's share of the change, never more than what is left to add. */
    static int proportion(ReplicaSetState g, int desired, int maxSurge, int statusReplicas, int toAdd, int added) {
        if (g.replicas() == 0 || toAdd == 0 || toAdd == added) return 0;
        int fraction = fraction(g, desired, maxSurge, statusReplicas);
        int allowed = toAdd - added;
        return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
    }

    static int fraction(ReplicaSetState g, int desired, int maxSurge, int statusReplicas) {
        if (desired == 0) return -g.replicas();
        int max = desired + maxSurge;
        int annotated = g.maxFor() > 0 ? g.maxFor() : statusReplicas;
        if (annotated == 0) return 0;
        double scaled = (double) g.replicas() * max / annotated;
        return (int) Math.round(Math.abs(scaled)) * (scaled < 0 ? -1 : 1) - g.replicas(); // half away from zero
    }
}
