package dev.rollgate.controller;

import dev.rollgate.rollout.ReplicaSetState;
import dev.rollgate.spec.RolloutSpec;
import dev.rollgate.spec.Strategy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The groups as Kubernetes counts them, one {@link ReplicaSetState} per revision in the groups' order
 * (oldest first): a replica being stopped no longer counts (as a terminating pod leaves its
 * ReplicaSet's status), except under Recreate, which waits until every old replica is gone before
 * it starts a new one.
 */
public final class GroupCounts {

    private GroupCounts() {}

    public static List<ReplicaSetState> of(List<Observed.Group> groups, RolloutSpec spec, Instant now) {
        boolean countTerminating = spec.strategy() instanceof Strategy.Recreate;
        List<ReplicaSetState> sets = new ArrayList<>();
        for (Observed.Group g : groups) {
            int current = 0, ready = 0, available = 0;
            for (Observed.Member m : g.members()) {
                if (countTerminating ? !m.terminated() : !m.stopping()) current++;
                if (!m.stopping() && m.ready()) ready++;
                if (m.available(spec.minReadySeconds(), now)) available++;
            }
            sets.add(new ReplicaSetState(g.revision(), g.hash(), g.label(), g.replicas(), current, ready, available, g.desiredFor(), g.maxFor()));
        }
        return sets;
    }

    /**
     * A replica becomes available minReadySeconds after it became ready, with no event at that
     * moment: the next pass is due right then, so a rollout never waits for the next resync.
     */
    static Instant nextAvailability(List<Observed.Group> groups, int minReadySeconds, Instant now) {
        if (minReadySeconds == 0) return null;
        Instant next = null;
        for (Observed.Group g : groups) {
            for (Observed.Member m : g.members()) {
                if (m.stopping() || !m.ready() || m.readySince() == null) continue;
                Instant at = m.readySince().plusSeconds(minReadySeconds);
                if (at.isAfter(now) && (next == null || at.isBefore(next))) next = at;
            }
        }
        return next;
    }
}
