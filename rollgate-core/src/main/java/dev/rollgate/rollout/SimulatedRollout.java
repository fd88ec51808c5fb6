package dev.rollgate.rollout;

import dev.rollgate.spec.RolloutSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToLongFunction;

/**
 * The real {@link Decide} against a simulated platform in virtual time: revision 1 starts with
 * {@code replicas} available replicas; revision 2 is rolled out. A new replica becomes Ready after
 * its start delay and Available {@code minReadySeconds} later; terminations are immediate.
 */
public final class SimulatedRollout {

    /** The replicas of each revision at one moment. */
    public record RevisionCount(int revision, int replicas, int ready, int available) {}

    /** What changed at time {@code t} (seconds since the rollout began). */
    public record Step(double t, List<RevisionCount> revisions) {}

    /**
     * Every step, whether the rollout completed or ran out of its progress deadline (and when),
     * and the largest total and smallest availability seen.
     */
    public record Result(List<Step> steps, boolean complete, double seconds, int maxTotal, int minAvailable, boolean deadlineExceeded) {}

    /** A replica that never becomes ready: give it as the start delay. */
    public static final long NEVER_READY = Long.MAX_VALUE / 4;

    private record Pod(long readyAt, long availableAt) {}

    private SimulatedRollout() {}

    /** Every new replica takes {@code readyAfterMillis} to become ready. */
    public static Result run(RolloutSpec spec, long readyAfterMillis) {
        return run(spec, n -> readyAfterMillis);
    }

    /** {@code readyAfterMillis} gives the start delay of the n-th new replica (0-based). */
    public static Result run(RolloutSpec spec, IntToLongFunction readyAfterMillis) {
        long minReady = spec.minReadySeconds() * 1000L;
        Map<Integer, List<Pod>> pods = new LinkedHashMap<>();
        List<Pod> initial = new ArrayList<>();
        for (int i = 0; i < spec.replicas(); i++) initial.add(new Pod(Long.MIN_VALUE / 4, Long.MIN_VALUE / 4));
        pods.put(1, initial);
        pods.put(2, new ArrayList<>());
        int[] started = {0};
        List<Step> steps = new ArrayList<>();
        long now = 0;
        long limit = Math.max(spec.progressDeadlineSeconds(), 1) * 1000L * Math.max(1, spec.replicas()) + 3_600_000L;
        int maxTotal = spec.replicas();
        int minAvailable = spec.replicas();
        boolean complete = false;
        boolean deadlineExceeded = false;
        java.time.Instant t0 = java.time.Instant.EPOCH;
        java.time.Duration deadline = java.time.Duration.ofSeconds(spec.progressDeadlineSeconds());
        int maxUnavailable = spec.strategy() instanceof dev.rollgate.spec.Strategy.RollingUpdate ru
                ? Fenceposts.resolve(ru.maxSurge(), ru.maxUnavailable(), spec.replicas()).maxUnavailable(spec.replicas()) : 0;
        Progress.Status before = null;
        Condition progressing = null;
        Condition availableCondition = null;
        for (int iteration = 0; iteration < 1_000_000 && now <= limit; iteration++) {
            for (int round = 0; round < 100; round++) {
                List<Scale> actions = Decide.next(spec, 2, observe(pods, now));
                if (actions.isEmpty()) break;
                for (Scale a : actions) {
                    List<Pod> list = pods.computeIfAbsent(a.revision(), r -> new ArrayList<>());
                    while (list.size() < a.replicas()) {
                        long delay = Math.max(0, readyAfterMillis.applyAsLong(started[0]++));
                        long ready = delay >= NEVER_READY ? NEVER_READY : now + delay;
                        list.add(new Pod(ready, ready + minReady));
                    }
                    while (list.size() > a.replicas()) list.remove(victim(list, now));
                }
            }
            List<ReplicaSetState> sets = observe(pods, now);
            int total = sets.stream().mapToInt(ReplicaSetState::current).sum();
            int available = sets.stream().mapToInt(ReplicaSetState::available).sum();
            maxTotal = Math.max(maxTotal, total);
            minAvailable = Math.min(minAvailable, available);
            List<RevisionCount> counts = sets.stream()
                    .map(s -> new RevisionCount(s.revision(), s.replicas(), s.ready(), s.available())).toList();
            if (steps.isEmpty() || !steps.getLast().revisions().equals(counts)) steps.add(new Step(now / 1000.0, counts));
            if (Decide.complete(spec, 2, sets)) {
                complete = true;
                break;
            }
            // The Progressing condition, as the controller syncs it on every pass.
            ReplicaSetState newSet = sets.stream().filter(x -> x.revision() == 2).findFirst().orElseThrow();
            Progress.Status status = new Progress.Status(total, newSet.current(),
                    sets.stream().mapToInt(ReplicaSetState::ready).sum(), available);
            Progress.Result sync = Progress.sync(spec.replicas(), maxUnavailable, deadline, before == null ? status : before, status,
                    progressing, availableCondition, before == null, t0.plusMillis(now));
            before = status;
            progressing = sync.progressing();
            availableCondition = sync.available();
            if (sync.timedOut()) {
                deadlineExceeded = true;
                break;
            }
            long next = progressing.lastUpdate().plus(deadline).toEpochMilli() + 1; // the next deadline check
            for (List<Pod> list : pods.values()) {
                for (Pod p : list) {
                    if (p.readyAt() > now && p.readyAt() < NEVER_READY) next = Math.min(next, p.readyAt());
                    if (p.availableAt() > now && p.readyAt() < NEVER_READY) next = Math.min(next, p.availableAt());
                }
            }
            now = next;
        }
        return new Result(steps, complete, now / 1000.0, maxTotal, minAvailable, deadlineExceeded);
    }

    private static List<ReplicaSetState> observe(Map<Integer, List<Pod>> pods, long now) {
        List<ReplicaSetState> sets = new ArrayList<>();
        pods.forEach((revision, list) -> {
            int ready = (int) list.stream().filter(p -> p.readyAt() <= now).count();
            int available = (int) list.stream().filter(p -> p.availableAt() <= now).count();
            sets.add(new ReplicaSetState(revision, list.size(), list.size(), ready, available));
        });
        return sets;
    }

    /** The ReplicaSet controller deletes not-ready replicas first, then the most recently ready. */
    private static int victim(List<Pod> list, long now) {
        int best = list.size() - 1;
        for (int i = list.size() - 1; i >= 0; i--) {
            Pod p = list.get(i), b = list.get(best);
            boolean pReady = p.readyAt() <= now, bReady = b.readyAt() <= now;
            if (!pReady && bReady || pReady == bReady && p.readyAt() > b.readyAt()) best = i;
        }
        return best;
    }
}
