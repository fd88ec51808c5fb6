package dev.rollgate.rollout;

import dev.rollgate.spec.RolloutSpec;
import dev.rollgate.spec.Strategy;
import java.util.ArrayList;
import java.util.List;

/**
 * One reconcile step of the Deployment controller for RollingUpdate and Recreate: from the
 * groups as observed to the scale actions to take now. Pure: the caller applies the actions and
 * calls again (the controller re-syncs until there is nothing to do, then waits for a change).
 */
public final class Decide {

    private Decide() {}

    /**
     * @param sets every group, oldest first; the one with {@code newRevision} may be missing
     *             (it is then created, as the controller creates the new ReplicaSet)
     */
    public static List<Scale> next(RolloutSpec spec, int newRevision, List<ReplicaSetState> sets) {
        int desired = spec.replicas();
        ReplicaSetState newSet = sets.stream().filter(s -> s.revision() == newRevision).findFirst()
                .orElse(new ReplicaSetState(newRevision, 0, 0, 0, 0));
        List<ReplicaSetState> old = sets.stream().filter(s -> s.revision() != newRevision).toList();
        if (spec.strategy() instanceof Strategy.Recreate) return recreate(desired, newSet, old);

        Strategy.RollingUpdate ru = (Strategy.RollingUpdate) spec.strategy();
        Fenceposts f = Fenceposts.resolve(ru.maxSurge(), ru.maxUnavailable(), desired);
        int totalSpec = newSet.replicas() + old.stream().mapToInt(ReplicaSetState::replicas).sum();
        if (newSet.replicas() > desired) return List.of(new Scale(newRevision, desired));
        if (newSet.replicas() < desired) {
            int grow = RollingUpdate.newReplicas(desired, f, totalSpec, newSet.replicas());
            if (grow != newSet.replicas()) return List.of(new Scale(newRevision, grow));
        }
        List<ReplicaSetState> scaled = RollingUpdate.scaleDownOld(desired, f, old, newSet);
        List<Scale> actions = new ArrayList<>();
        for (int i = 0; i < old.size(); i++) {
            if (scaled.get(i).replicas() != old.get(i).replicas()) actions.add(new Scale(old.get(i).revision(), scaled.get(i).replicas()));
        }
        return actions;
    }

    /** {@code rolloutRecreate}: every old replica gone before the new group is scaled up. */
    private static List<Scale> recreate(int desired, ReplicaSetState newSet, List<ReplicaSetState> old) {
        List<Scale> down = old.stream().filter(s -> s.replicas() > 0).map(s -> new Scale(s.revision(), 0)).toList();
        if (!down.isEmpty()) return down;
        if (old.stream().anyMatch(s -> s.current() > 0)) return List.of(); // old replicas still terminating
        return newSet.replicas() == desired ? List.of() : List.of(new Scale(newSet.revision(), desired));
    }
}
