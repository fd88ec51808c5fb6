package dev.rollgate.controller;

import dev.rollgate.rollout.ProportionalScaling;
import dev.rollgate.rollout.Recreate;
import dev.rollgate.rollout.ReplicaSetState;
import dev.rollgate.rollout.RollingUpdate;
import dev.rollgate.rollout.Scale;
import dev.rollgate.spec.Strategy;
import java.util.List;
import java.util.Map;

/** RollingUpdate and Recreate: Kubernetes' rolloutRolling / rolloutRecreate, and its sync for a scaling event. */
final class RollingSync {

    private RollingSync() {}

    /** Scales until {@link RollingUpdate#next} (or {@link Recreate#next}) has nothing more to do on what this pass knows (at most 10 rounds). */
    static void roll(Pass p, int newRevision) {
        List<ReplicaSetState> sets = p.counts();
        for (int round = 0; round < 10; round++) {
            List<Scale> scales = p.spec.strategy() instanceof Strategy.Recreate
                    ? Recreate.next(p.spec.replicas(), newRevision, sets) : RollingUpdate.next(p.spec, newRevision, sets);
            if (scales.isEmpty()) return;
            for (Scale s : scales) p.scale(p.group(s.revision()), s.replicas(), "");
            sets = sets.stream().map(s -> scales.stream().filter(a -> a.revision() == s.revision()).findFirst()
                    .map(a -> s.withReplicas(a.replicas())).orElse(s)).toList();
        }
    }

    /**
     * Kubernetes' sync for a scaling event: when {@code replicas} changed while several groups are
     * active (mid-rollout, or paused), every group grows or shrinks in proportion to its size.
     */
    static boolean proportional(Pass p, int newRevision) {
        if (!(p.spec.strategy() instanceof Strategy.RollingUpdate)) return false;
        List<ReplicaSetState> sets = p.counts();
        int desired = p.spec.replicas();
        if (!ProportionalScaling.isScalingEvent(desired, sets)) return false;
        int total = sets.stream().mapToInt(ReplicaSetState::current).sum();
        Map<Integer, Integer> sizes = ProportionalScaling.scale(desired, Pass.maxSurge(p.spec), total, sets, newRevision);
        for (Observed.Group g : List.copyOf(p.groups)) {
            int n = sizes.getOrDefault(g.revision(), g.replicas());
            if (n != g.replicas()) p.scale(g, n, " (replicas changed to " + desired + ": proportional scaling)");
            else if (g.replicas() > 0) p.resize(g, n);
        }
        return true;
    }
}
