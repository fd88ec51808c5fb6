package dev.rollgate.simulation;

import dev.rollgate.controller.Action;
import dev.rollgate.controller.Observed;
import dev.rollgate.controller.Platform;
import dev.rollgate.rollout.ReplicaRanking;
import dev.rollgate.spec.Template;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToLongFunction;

/**
 * A platform in virtual time: the n-th new replica becomes Ready after the start delay the
 * simulation gives for n (or never: {@link #NEVER_READY}); a stopped replica is gone after the
 * termination time. It plays the ReplicaSet controller: replicas are started and stopped in
 * {@link #converge} until each group has its size.
 */
public final class SimulatedPlatform implements Platform {

    /** A replica that never becomes ready: give it as the start delay. */
    public static final long NEVER_READY = Long.MAX_VALUE / 4;

    private static final class Replica {
        final String id;
        final Instant created;
        final Instant readyAt;     // null: never
        Instant stoppedAt;
        boolean crashed;

        Replica(String id, Instant created, Instant readyAt) {
            this.id = id;
            this.created = created;
            this.readyAt = readyAt;
        }
    }

    private static final class Group {
        int revision;
        final String hash;
        final Template template;
        int replicas, desiredFor, maxFor;
        final Instant created;
        final List<Replica> members = new ArrayList<>();

        Group(int revision, String hash, Template template, Instant created) {
            this.revision = revision;
            this.hash = hash;
            this.template = template;
            this.created = created;
        }
    }

    private final InstantSource clock;
    private final IntToLongFunction readyAfterMillis;
    private final Duration termination;
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private int started;
    private int nextId;

    /**
     * @param readyAfterMillis the start delay of the n-th new replica (0-based)
     * @param termination      how long a stopped replica takes to be gone
     */
    public SimulatedPlatform(InstantSource clock, IntToLongFunction readyAfterMillis, Duration termination) {
        this.clock = clock;
        this.readyAfterMillis = readyAfterMillis;
        this.termination = termination;
    }

    /** A group that exists before the simulation starts, with {@code replicas} replicas ready for long. */
    public void seed(int revision, String hash, Template template, int replicas) {
        Instant longAgo = clock.instant().minus(Duration.ofDays(1));
        Group g = new Group(revision, hash, template, longAgo);
        g.replicas = replicas;
        g.desiredFor = replicas;
        g.maxFor = replicas;
        for (int i = 0; i < replicas; i++) g.members.add(new Replica("r" + nextId++, longAgo, longAgo));
        groups.put(hash, g);
    }

    @Override
    public List<Observed.Group> groups() {
        Instant now = clock.instant();
        reap(now);
        return groups.values().stream().sorted(Comparator.comparingInt(g -> g.revision)).map(g -> new Observed.Group(g.revision, g.hash,
                g.template, g.replicas, g.desiredFor, g.maxFor, g.created, g.members.stream().map(r -> member(r, now)).toList())).toList();
    }

    private static Observed.Member member(Replica r, Instant now) {
        boolean stopping = r.stoppedAt != null;
        boolean ready = !stopping && !r.crashed && r.readyAt != null && !r.readyAt.isAfter(now);
        return new Observed.Member(r.id, r.created, ready, ready ? r.readyAt : null, stopping, false);
    }

    @Override
    public void create(Action.CreateGroup c) {
        Group g = groups.get(c.hash());
        if (g == null) groups.put(c.hash(), new Group(c.revision(), c.hash(), c.template(), clock.instant()));
        else g.revision = c.revision();
    }

    @Override
    public void scale(Action.ScaleGroup s) {
        Group g = groups.get(s.hash());
        g.replicas = s.replicas();
        g.desiredFor = s.desiredFor();
        g.maxFor = s.maxFor();
        for (String id : s.remove()) g.members.stream().filter(r -> r.id.equals(id) && r.stoppedAt == null).forEach(r -> r.stoppedAt = clock.instant());
    }

    @Override
    public void delete(Action.DeleteGroup d) {
        groups.remove(d.hash());
    }

    @Override
    public void converge() {
        Instant now = clock.instant();
        for (Group g : groups.values()) {
            List<Replica> active = g.members.stream().filter(r -> r.stoppedAt == null).toList();
            List<String> remove = ReplicaRanking.toDelete(active.stream()
                    .map(r -> new ReplicaRanking.Candidate(r.id, member(r, now).ready(), r.created)).toList(), active.size() - g.replicas);
            for (Replica r : active) if (remove.contains(r.id)) r.stoppedAt = now;
            for (int i = active.size(); i < g.replicas; i++) {
                long delay = Math.max(0, readyAfterMillis.applyAsLong(started++));
                g.members.add(new Replica("r" + nextId++, now, delay >= NEVER_READY ? null : now.plusMillis(delay)));
            }
        }
        reap(now);
    }

    /** The replica {@code index} (0-based, oldest first) of revision {@code revision} stops being ready for good. */
    public void crash(int revision, int index) {
        groups.values().stream().filter(g -> g.revision == revision).findFirst()
                .ifPresent(g -> g.members.stream().filter(r -> r.stoppedAt == null).skip(index).findFirst().ifPresent(r -> r.crashed = true));
    }

    /** When the next replica becomes ready or is gone, or null. */
    public Instant nextChange() {
        Instant now = clock.instant(), next = null;
        for (Group g : groups.values()) {
            for (Replica r : g.members) {
                Instant at = r.stoppedAt != null ? r.stoppedAt.plus(termination) : r.readyAt;
                if (at != null && at.isAfter(now) && (next == null || at.isBefore(next))) next = at;
            }
        }
        return next;
    }

    private void reap(Instant now) {
        for (Group g : groups.values()) g.members.removeIf(r -> r.stoppedAt != null && !r.stoppedAt.plus(termination).isAfter(now));
    }
}
