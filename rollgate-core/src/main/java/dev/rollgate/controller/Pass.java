package dev.rollgate.controller;

import dev.rollgate.rollout.Fenceposts;
import dev.rollgate.rollout.ReplicaRanking;
import dev.rollgate.rollout.ReplicaSetState;
import dev.rollgate.spec.RolloutSpec;
import dev.rollgate.spec.Strategy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The working values of one {@link RolloutController#decide} call: what it has decided so far
 * (groups resized, status, spec, actions, events). Private to the call; nothing outlives it.
 */
final class Pass {

    final String name;
    final long generation;
    final Observed observed;
    final Instant now;
    final List<Observed.Group> groups;
    final List<Action> actions = new ArrayList<>();
    final List<RolloutEvent> events = new ArrayList<>();
    RolloutSpec spec;
    RolloutStatus status;
    Instant wakeAt;
    /** This pass took up an earlier template again (an undo) within spec.rollbackWindow: its steps are skipped. */
    boolean withinRollbackWindow;

    Pass(String name, long generation, RolloutSpec spec, RolloutStatus status, Observed observed) {
        this.name = name;
        this.generation = generation;
        this.spec = spec;
        this.status = status;
        this.observed = observed;
        this.now = observed.now();
        this.groups = new ArrayList<>(observed.groups());
    }

    void event(String type, String reason, String message) {
        events.add(new RolloutEvent(type, reason, name, message));
    }

    Observed.Group group(String hash) {
        return groups.stream().filter(g -> g.hash().equals(hash)).findFirst().orElse(null);
    }

    Observed.Group group(int revision) {
        return groups.stream().filter(g -> g.revision() == revision).findFirst().orElseThrow();
    }

    /** Adds or replaces (by hash) a group, keeping them in revision order. */
    void put(Observed.Group g) {
        groups.removeIf(x -> x.hash().equals(g.hash()));
        groups.add(g);
        groups.sort(Comparator.comparingInt(Observed.Group::revision));
    }

    private List<Observed.Group> countedGroups;
    private List<ReplicaSetState> counts;

    /** The groups as Kubernetes counts them (see {@link GroupCounts}): counted once, and again only after a group changed. */
    List<ReplicaSetState> counts() {
        if (counts == null || !groups.equals(countedGroups)) {
            countedGroups = List.copyOf(groups);
            counts = GroupCounts.of(countedGroups, spec, now);
        }
        return counts;
    }

    /** This pass's counts of the revision with {@code hash}. */
    ReplicaSetState counts(String hash) {
        return counts().stream().filter(s -> s.hash().equals(hash)).findFirst().orElseThrow();
    }

    /** Sets a group's size (and its desired / max annotations), with the event Kubernetes writes. */
    void scale(Observed.Group g, int replicas, String why) {
        resize(g, replicas);
        event("Normal", "ScalingReplicaSet", (replicas > g.replicas() ? "Scaled up" : "Scaled down") + " " + g.label() + " to " + replicas
                + " from " + g.replicas() + why);
    }

    /** Same as {@link #scale} without an event: proportional scaling refreshes the annotations of groups it leaves alone. */
    void resize(Observed.Group g, int replicas) {
        int max = spec.replicas() + maxSurge(spec);
        List<Observed.Member> active = g.members().stream().filter(m -> !m.stopping()).toList();
        List<String> remove = ReplicaRanking.toDelete(active.stream()
                .map(m -> new ReplicaRanking.Candidate(m.id(), m.ready(), m.created())).toList(), active.size() - replicas);
        actions.add(new Action.ScaleGroup(g.revision(), g.hash(), replicas, spec.replicas(), max, remove));
        put(g.scaled(replicas, spec.replicas(), max));
    }

    static int maxSurge(RolloutSpec spec) {
        return Fenceposts.of(spec).maxSurge();
    }

    static boolean progressive(RolloutSpec spec) {
        return spec.strategy() instanceof Strategy.Canary || spec.strategy() instanceof Strategy.BlueGreen;
    }
}
