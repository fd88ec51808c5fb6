package dev.rollgate.rollout;

import java.util.List;

/** The Deployment controller's {@code rolloutRecreate}: every old replica gone before the new group is scaled up. */
public final class Recreate {

    private Recreate() {}

    /** One reconcile step: the scale actions to take now. {@code sets}: every group, oldest first; the new one may be missing. */
    public static List<Scale> next(int desired, int newRevision, List<ReplicaSetState> sets) {
        List<ReplicaSetState> old = sets.stream().filter(s -> s.revision() != newRevision).toList();
        List<Scale> down = old.stream().filter(s -> s.replicas() > 0).map(s -> new Scale(s.revision(), 0)).toList();
        if (!down.isEmpty()) return down;
        if (old.stream().anyMatch(s -> s.current() > 0)) return List.of(); // old replicas still terminating
        int size = sets.stream().filter(s -> s.revision() == newRevision).mapToInt(ReplicaSetState::replicas).findFirst().orElse(0);
        return size == desired ? List.of() : List.of(new Scale(newRevision, desired));
    }
}
