package dev.rollgate.rollout;

import dev.rollgate.spec.RolloutSpec;
import dev.rollgate.spec.Strategy;
import java.util.ArrayList;
import java.util.List;

/**
 * The Deployment controller's rolling-update arithmetic, as pure functions over numbers
 * ({@code pkg/controller/deployment/rolling.go} and {@code util/deployment_util.go}).
 */
public final class RollingUpdate {

    private RollingUpdate() {}

    /**
     * One reconcile step of {@code rolloutRolling}: the scale actions to take now (none when there is nothing to do).
     * Pure: the caller applies them and calls again, as the controller re-syncs until nothing is left.
     *
     * @param sets every group, oldest first; the one with {@code newRevision} may be missing
     *             (it is then created, as the controller creates the new ReplicaSet)
     */
    public static List<Scale> next(RolloutSpec spec, int newRevision, List<ReplicaSetState> sets) {
        int desired = spec.replicas();
        ReplicaSetState newSet = sets.stream().filter(s -> s.revision() == newRevision).findFirst()
                .orElse(new ReplicaSetState(newRevision, 0, 0, 0, 0));
        List<ReplicaSetState> old = sets.stream().filter(s -> s.revision() != newRevision).toList();
        Strategy.RollingUpdate ru = (Strategy.RollingUpdate) spec.strategy();
        Fenceposts f = Fenceposts.resolve(ru.maxSurge(), ru.maxUnavailable(), desired);
        int totalSpec = newSet.replicas() + old.stream().mapToInt(ReplicaSetState::replicas).sum();
        if (newSet.replicas() > desired) return List.of(new Scale(newRevision, desired));
        if (newSet.replicas() < desired) {
            int grow = newReplicas(desired, f, totalSpec, newSet.replicas());
            if (grow != newSet.replicas()) return List.of(new Scale(newRevision, grow));
        }
        List<ReplicaSetState> scaled = scaleDownOld(desired, f, old, newSet);
        List<Scale> actions = new ArrayList<>();
        for (ReplicaSetState s : scaled) {
            if (!old.contains(s)) actions.add(new Scale(s.revision(), s.replicas()));
        }
        return actions;
    }

    /** {@code NewRSNewReplicas}: how far the new group may grow now without passing replicas + maxSurge. */
    public static int newReplicas(int desired, Fenceposts f, int totalSpec, int newSpec) {
        int maxTotal = desired + f.maxSurge();
        if (totalSpec >= maxTotal) return newSpec;
        return newSpec + Math.min(maxTotal - totalSpec, desired - newSpec);
    }

    /**
     * {@code reconcileOldReplicaSets}: the old groups' new sizes. Unhealthy old replicas go first
     * ({@code cleanupUnhealthyReplicas}), then old groups shrink, oldest first, while availability
     * stays at replicas − maxUnavailable or above. {@code old} is oldest first.
     */
    public static List<ReplicaSetState> scaleDownOld(int desired, Fenceposts f, List<ReplicaSetState> old, ReplicaSetState newSet) {
        int oldSpec = old.stream().mapToInt(ReplicaSetState::replicas).sum();
        if (oldSpec == 0) return old;
        int allSpec = oldSpec + newSet.replicas();
        int minAvailable = desired - f.maxUnavailable(desired);
        int newUnavailable = newSet.replicas() - newSet.available();
        int maxScaledDown = allSpec - minAvailable - newUnavailable;
        if (maxScaledDown <= 0) return old;

        List<ReplicaSetState> result = new ArrayList<>(old);
        int cleaned = 0;
        for (int i = 0; i < result.size() && cleaned < maxScaledDown; i++) {
            ReplicaSetState rs = result.get(i);
            if (rs.replicas() == 0 || rs.replicas() == rs.available()) continue;
            int down = Math.min(maxScaledDown - cleaned, rs.replicas() - rs.available());
            result.set(i, rs.withReplicas(rs.replicas() - down));
            cleaned += down;
        }

        int available = newSet.available() + result.stream().mapToInt(ReplicaSetState::available).sum();
        if (available <= minAvailable) return result;
        int budget = available - minAvailable;
        int done = 0;
        for (int i = 0; i < result.size() && done < budget; i++) {
            ReplicaSetState rs = result.get(i);
            if (rs.replicas() == 0) continue;
            int down = Math.min(rs.replicas(), budget - done);
            result.set(i, rs.withReplicas(rs.replicas() - down));
            done += down;
        }
        return result;
    }
}
