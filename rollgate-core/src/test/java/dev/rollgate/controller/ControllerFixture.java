package dev.rollgate.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.analysis.AnalysisPhase;
import dev.rollgate.rollout.ReplicaSetState;
import dev.rollgate.simulation.SimulatedAnalyses;
import dev.rollgate.simulation.Simulation;
import dev.rollgate.spec.AnalysisRef;
import dev.rollgate.spec.InvalidSpecException;
import dev.rollgate.spec.RolloutSpec;
import dev.rollgate.spec.SpecParser;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.IntToLongFunction;
import java.util.function.Predicate;

/**
 * The controller in virtual time for tests, as Argo's controller fixture or the Kubernetes
 * controller's fake clientset: the real {@link Reconciler} over a simulated platform, router and
 * analysis runner and an in-memory store. {@link #runUntil} passes and moves the clock until a
 * condition holds, checking the capacity bounds at every moment it passes through.
 */
final class ControllerFixture {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final Simulation sim;
    private BiFunction<String, AnalysisRef, SimulatedAnalyses.Outcome> analysis;
    private int maxTotal;
    private int minAvailable = Integer.MAX_VALUE;
    private boolean checkBounds;
    private boolean restarting;
    private int restarts;

    private ControllerFixture(RolloutSpec spec, IntToLongFunction readyAfterMillis, Duration termination) {
        this.analysis = (key, ref) -> new SimulatedAnalyses.Outcome(AnalysisPhase.SUCCESSFUL, Duration.ofSeconds(10));
        this.sim = new Simulation("web", spec, RolloutStatus.NONE, T0, readyAfterMillis, termination, (key, ref) -> analysis.apply(key, ref));
    }

    /** A service applied for the first time; every replica Ready {@code readyAfterMillis} after it starts. */
    static ControllerFixture applied(String yaml, long readyAfterMillis) {
        return new ControllerFixture(spec(yaml), n -> readyAfterMillis, Duration.ZERO);
    }

    static ControllerFixture applied(String yaml, IntToLongFunction readyAfterMillis, Duration termination) {
        return new ControllerFixture(spec(yaml), readyAfterMillis, termination);
    }

    /** A spec from the YAML of its {@code spec:} block (and analysis templates after it). */
    static RolloutSpec spec(String yaml) {
        try {
            return SpecParser.parse("apiVersion: rollgate.dev/v1alpha1\nkind: Rollout\nmetadata: {name: web}\n" + yaml).getFirst().spec();
        } catch (InvalidSpecException e) {
            throw new IllegalArgumentException(e.errors().toString(), e);
        }
    }

    /** Analysis runs started from now on end as {@code rule} says. */
    ControllerFixture analysis(BiFunction<String, AnalysisRef, SimulatedAnalyses.Outcome> rule) {
        this.analysis = rule;
        return this;
    }

    static BiFunction<String, AnalysisRef, SimulatedAnalyses.Outcome> every(AnalysisPhase phase, int seconds) {
        return (key, ref) -> new SimulatedAnalyses.Outcome(phase, Duration.ofSeconds(seconds));
    }

    /** From now on, asserts at every moment that the total stays within replicas + maxSurge and availability above replicas - maxUnavailable. */
    ControllerFixture bounded(int maxTotalAllowed, int minAvailableAllowed) {
        checkBounds = true;
        maxTotal = maxTotalAllowed;
        minAvailable = minAvailableAllowed;
        return this;
    }

    /**
     * From now on, every {@link #runUntil} restarts the controller after its first pass: a new
     * reconciler and router that know only what is stored, analysis runs started afresh.
     */
    ControllerFixture restarting(boolean on) {
        restarting = on;
        return this;
    }

    /** How many times the controller was restarted. */
    int restarts() {
        return restarts;
    }

    /** Passes and moves the virtual clock (1 s resync) until {@code done}; fails after {@code limit} of virtual time. */
    ControllerFixture runUntil(Predicate<ControllerFixture> done, Duration limit) {
        Instant end = sim.clock.instant().plus(limit);
        boolean restarted = !restarting;
        while (true) {
            sim.settle();
            if (!restarted && !done.test(this)) {
                sim.restartController();
                restarts++;
                restarted = true;
                sim.settle();
            }
            if (checkBounds) {
                List<ReplicaSetState> sets = counts();
                assertThat(sets.stream().mapToInt(ReplicaSetState::current).sum()).as("replicas at " + elapsed()).isLessThanOrEqualTo(maxTotal);
                assertThat(sets.stream().mapToInt(ReplicaSetState::available).sum()).as("available at " + elapsed())
                        .isGreaterThanOrEqualTo(minAvailable);
            }
            if (done.test(this)) return this;
            assertThat(sim.clock.instant()).as("still waiting after " + limit + "; status " + status()).isBefore(end);
            sim.advance(Duration.ofSeconds(1));
        }
    }

    ControllerFixture runToComplete() {
        return runUntil(f -> f.status().lastCompleteRevision() == f.status().revision() && "Complete".equals(f.status().phase()),
                Duration.ofMinutes(30));
    }

    /** A new spec from {@code apply}. */
    ControllerFixture apply(String yaml) {
        sim.apply(spec(yaml));
        return this;
    }

    VerbResult verb(java.util.function.Function<StateStore.Stored, VerbResult> verb) {
        return sim.verb(verb);
    }

    RolloutStatus status() {
        return sim.status();
    }

    RolloutSpec storedSpec() {
        return sim.store.load().spec();
    }

    List<Observed.Group> groups() {
        return sim.platform.groups();
    }

    List<ReplicaSetState> counts() {
        return GroupCounts.of(groups(), storedSpec(), sim.clock.instant());
    }

    /** Revision number to group size. */
    Map<Integer, Integer> sizes() {
        Map<Integer, Integer> m = new LinkedHashMap<>();
        for (Observed.Group g : groups()) m.put(g.revision(), g.replicas());
        return m;
    }

    /** Traffic weights by revision number, as the router was last told. */
    Map<Integer, Integer> weights() {
        Map<Integer, Integer> m = new LinkedHashMap<>();
        TrafficPlan plan = sim.router().plan();
        if (plan.byReadiness()) return m;
        for (Observed.Group g : groups()) {
            Integer w = plan.weights().get(g.hash());
            if (w != null && w > 0) m.put(g.revision(), w);
        }
        return m;
    }

    List<String> reasons() {
        return sim.store.events().stream().map(RolloutEvent::reason).toList();
    }

    List<RolloutEvent> events(String reason) {
        return sim.store.events().stream().filter(e -> e.reason().equals(reason)).toList();
    }

    Duration elapsed() {
        return Duration.between(T0, sim.clock.instant());
    }
}
