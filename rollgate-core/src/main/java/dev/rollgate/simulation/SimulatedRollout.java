package dev.rollgate.simulation;

import dev.rollgate.analysis.AnalysisPhase;
import dev.rollgate.controller.GroupCounts;
import dev.rollgate.controller.Observed;
import dev.rollgate.controller.RolloutStatus;
import dev.rollgate.controller.Verbs;
import dev.rollgate.rollout.ReplicaSetState;
import dev.rollgate.rollout.TemplateHash;
import dev.rollgate.spec.AnalysisRef;
import dev.rollgate.spec.AnalysisTemplate;
import dev.rollgate.spec.RolloutSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntToLongFunction;

/**
 * The controller's own {@link Reconciler} against a simulated platform in virtual time: revision
 * 1 runs {@code replicas} available replicas; revision 2 (the spec's template) is rolled out by its
 * strategy. A new replica becomes Ready after its start delay and Available {@code minReadySeconds}
 * later; terminations are immediate. Analysis runs succeed once their measurements are all taken;
 * a pause that waits for a person is promoted at once, and says so.
 */
public final class SimulatedRollout {

    /** The replicas of each revision at one moment. */
    public record RevisionCount(int revision, int replicas, int ready, int available) {}

    /**
     * What changed at time {@code t} (seconds since the rollout began): the counts, and for a
     * canary or blue-green where it stands ({@code step}) and the traffic weights by revision.
     */
    public record Step(double t, List<RevisionCount> revisions, String step, Map<Integer, Integer> weights) {

        public Step(double t, List<RevisionCount> revisions) {
            this(t, revisions, null, Map.of());
        }
    }

    /**
     * Every step, whether the rollout completed or ran out of its progress deadline (and when),
     * and the largest total and smallest availability seen.
     */
    public record Result(List<Step> steps, boolean complete, double seconds, int maxTotal, int minAvailable, boolean deadlineExceeded) {}

    private static final String NAME = "simulated";

    private SimulatedRollout() {}

    /** Every new replica takes {@code readyAfterMillis} to become ready. */
    public static Result run(RolloutSpec spec, long readyAfterMillis) {
        return run(spec, n -> readyAfterMillis);
    }

    /** {@code readyAfterMillis} gives the start delay of the n-th new replica (0-based). */
    public static Result run(RolloutSpec spec, IntToLongFunction readyAfterMillis) {
        var previous = spec.template().withEnv("ROLLGATE_SIMULATED_PREVIOUS", "1");
        Simulation sim = new Simulation(NAME, spec, RolloutStatus.NONE.withLastComplete(1), Instant.EPOCH, readyAfterMillis, Duration.ZERO,
                (key, ref) -> untilMeasured(spec, ref));
        sim.platform.seed(1, TemplateHash.of(previous), previous, spec.replicas());
        VirtualClock clock = sim.clock;
        long limit = Math.max(spec.progressDeadlineSeconds(), 1) * 1000L * Math.max(1, spec.replicas()) + 3_600_000L;
        List<Step> steps = new ArrayList<>();
        int maxTotal = spec.replicas(), minAvailable = spec.replicas();
        boolean complete = false, deadlineExceeded = false;
        for (int iteration = 0; iteration < 100_000 && clock.instant().toEpochMilli() <= limit; iteration++) {
            sim.settle();
            RolloutStatus status = sim.status();
            String pausedFor = status.progressive() == null ? null : status.progressive().state().pauseReason();
            boolean waitsForPromote = pausedFor != null && !"InconclusiveAnalysisRun".equals(pausedFor);
            List<Observed.Group> groups = sim.platform.groups();
            List<ReplicaSetState> sets = GroupCounts.of(groups, spec, clock.instant());
            maxTotal = Math.max(maxTotal, sets.stream().mapToInt(ReplicaSetState::current).sum());
            minAvailable = Math.min(minAvailable, sets.stream().mapToInt(ReplicaSetState::available).sum());
            Step step = step(clock.instant(), sets, status);
            if (waitsForPromote) {
                step = new Step(step.t(), step.revisions(), step.step() + " (waits for 'rollout promote'; promoted at once here)", step.weights());
                steps.add(step);
                sim.verb(s -> Verbs.promote(NAME, s.spec(), s.status(), false, clock.instant()));
                continue; // the next pass goes on from the same instant
            }
            Step last = steps.isEmpty() ? null : steps.getLast();
            if (last == null || !last.revisions().equals(step.revisions()) || !Objects.equals(last.step(), step.step())
                    || !last.weights().equals(step.weights())) {
                steps.add(step);
            }
            if (status.lastCompleteRevision() == 2 && status.revision() == 2) {
                complete = true;
                break;
            }
            // The deadline, or what progressDeadlineAbort did right after it (a rollback, or an aborted canary).
            if (status.progressing() != null && "ProgressDeadlineExceeded".equals(status.progressing().reason())
                    || status.abortedRevision() != 0) {
                deadlineExceeded = true;
                break;
            }
            if (status.progressive() != null && status.progressive().state().aborted()) break;
            Instant next = sim.nextChange();
            if (next == null) break;
            clock.set(next);
        }
        return new Result(steps, complete, clock.instant().toEpochMilli() / 1000.0, maxTotal, minAvailable, deadlineExceeded);
    }

    private static Step step(Instant now, List<ReplicaSetState> sets, RolloutStatus status) {
        List<RevisionCount> counts = sets.stream().map(s -> new RevisionCount(s.revision(), s.replicas(), s.ready(), s.available())).toList();
        if (status.progressive() == null) return new Step(now.toEpochMilli() / 1000.0, counts);
        Map<Integer, Integer> weights = new LinkedHashMap<>();
        for (ReplicaSetState set : sets) {
            Integer w = status.progressive().weights() == null ? null : status.progressive().weights().get(set.hash());
            if (w != null) weights.put(set.revision(), w);
        }
        return new Step(now.toEpochMilli() / 1000.0, counts, status.progressive().step(), weights);
    }

    /** A run succeeds when every metric has taken its measurements; one without a count (background) runs until stopped. */
    private static SimulatedAnalyses.Outcome untilMeasured(RolloutSpec spec, AnalysisRef ref) {
        Duration longest = Duration.ZERO;
        for (String name : ref.templates()) {
            for (AnalysisTemplate.Metric m : spec.analysisTemplate(name).metrics()) {
                Integer count = m.effectiveCount();
                if (count == null) return new SimulatedAnalyses.Outcome(AnalysisPhase.RUNNING, Duration.ZERO);
                Duration interval = m.interval() == null ? Duration.ZERO : m.interval();
                Duration initial = m.initialDelay() == null ? Duration.ZERO : m.initialDelay();
                Duration took = initial.plus(interval.multipliedBy(Math.max(0, count - 1)));
                if (took.compareTo(longest) > 0) longest = took;
            }
        }
        return new SimulatedAnalyses.Outcome(AnalysisPhase.SUCCESSFUL, longest);
    }

}
