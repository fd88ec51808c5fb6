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

    /**
     * One group: its desired size, available replicas, and the annotations Kubernetes keeps on a
     * ReplicaSet: the {@code desired-replicas} and {@code max-replicas} (replicas + maxSurge) it was
     * last scaled for. {@code order} is its age, 0 for the oldest.
     */
    public record Group(int revision, int order, int replicas, int available, int desiredAnnotation, int maxReplicasAnnotation) {}

    private ProportionalScaling() {}

    /** {@code isScalingEvent}: an active group was last scaled for another replica count. */
    public static boolean isScalingEvent(int desired, List<Group> groups) {
        return groups.stream().anyMatch(g -> g.replicas() > 0 && g.desiredAnnotation() != desired);
    }

    /**
     * New sizes by revision (only for groups that change).
     *
     * @param statusReplicas the rollout's current total of replicas (the fallback for a missing annotation)
     * @param newRevision    the current revision, or -1 when it has no group yet
     */
    public static Map<Integer, Integer> scale(int desired, int maxSurge, int statusReplicas, List<Group> groups, int newRevision) {
        Map<Integer, Integer> out = new LinkedHashMap<>();
        List<Group> active = groups.stream().filter(g -> g.replicas() > 0).toList();
        if (active.size() <= 1) {
            Group target = active.isEmpty() ? groups.stream().max(Comparator.comparingInt(Group::order)).orElse(null) : active.getFirst();
            if (target != null && target.replicas() != desired) out.put(target.revision(), desired);
            return out;
        }
        Group newGroup = groups.stream().filter(g -> g.revision() == newRevision).findFirst().orElse(null);
        if (newGroup != null && newGroup.replicas() == desired && newGroup.desiredAnnotation() == desired && newGroup.available() == desired) {
            for (Group g : active) if (g != newGroup) out.put(g.revision(), 0); // saturated: the old ones go
            return out;
        }
        int allowed = desired > 0 ? desired + maxSurge : 0;
        int toAdd = allowed - active.stream().mapToInt(Group::replicas).sum();
        List<Group> sorted = new ArrayList<>(active);
        Comparator<Group> bySize = Comparator.comparingInt(Group::replicas).reversed();
        sorted.sort(toAdd > 0 ? bySize.thenComparing(Comparator.comparingInt(Group::order).reversed())
                : bySize.thenComparingInt(Group::order));
        int added = 0;
        int[] size = new int[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            Group g = sorted.get(i);
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
    static int proportion(Group g, int desired, int maxSurge, int statusReplicas, int toAdd, int added) {
        if (g.replicas() == 0 || toAdd == 0 || toAdd == added) return 0;
        int fraction = fraction(g, desired, maxSurge, statusReplicas);
        int allowed = toAdd - added;
        return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
    }

    static int fraction(Group g, int desired, int maxSurge, int statusReplicas) {
        if (desired == 0) return -g.replicas();
        int max = desired + maxSurge;
        int annotated = g.maxReplicasAnnotation() > 0 ? g.maxReplicasAnnotation() : statusReplicas;
        if (annotated == 0) return 0;
        double scaled = (double) g.replicas() * max / annotated;
        return (int) Math.round(Math.abs(scaled)) * (scaled < 0 ? -1 : 1) - g.replicas(); // half away from zero
    }
}
