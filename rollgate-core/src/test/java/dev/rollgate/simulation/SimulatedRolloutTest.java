package dev.rollgate.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.rollgate.rollout.Fenceposts;
import dev.rollgate.spec.IntOrPercent;
import dev.rollgate.spec.RolloutSpec;
import dev.rollgate.spec.Strategy;
import dev.rollgate.spec.Template;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The real decide() in virtual time: exact figures for a known case, and invariants for random ones. */
class SimulatedRolloutTest {

    static RolloutSpec spec(int replicas, Strategy strategy, int minReadySeconds) {
        Template t = new Template("v2", List.of("server"), Map.of(), null, null, null, null, null, 30);
        return new RolloutSpec(replicas, minReadySeconds, 600, false, 10, false, 0, 0, null, t, strategy);
    }

    static Strategy rolling(IntOrPercent surge, IntOrPercent unavailable) {
        return new Strategy.RollingUpdate(surge, unavailable);
    }

    @Test
    void tenReplicasWithTwentyFivePercentSurgeTakeFourBatches() {
        var r = SimulatedRollout.run(spec(10, rolling(IntOrPercent.percent(25), IntOrPercent.of(0)), 0), 5000);
        assertThat(r.complete()).isTrue();
        assertThat(r.seconds()).isEqualTo(20.0); // ceil(10 / 3) x 5 s, the seed's formula
        assertThat(r.maxTotal()).isEqualTo(13);
        assertThat(r.minAvailable()).isEqualTo(10);
        assertThat(r.steps().getFirst()).isEqualTo(new SimulatedRollout.Step(0.0, List.of(
                new SimulatedRollout.RevisionCount(1, 10, 10, 10), new SimulatedRollout.RevisionCount(2, 3, 0, 0))));
        assertThat(r.steps().getLast().revisions()).containsExactly(
                new SimulatedRollout.RevisionCount(1, 0, 0, 0), new SimulatedRollout.RevisionCount(2, 10, 10, 10));
    }

    @Test
    void minReadySecondsDelaysAvailability() {
        var r = SimulatedRollout.run(spec(4, rolling(IntOrPercent.of(1), IntOrPercent.of(0)), 3), 2000);
        assertThat(r.complete()).isTrue();
        assertThat(r.seconds()).isEqualTo(20.0); // 4 batches of 1 x (2 s ready + 3 s minReady)
    }

    @Test
    void recreateEmptiesTheOldRevisionFirst() {
        var r = SimulatedRollout.run(spec(3, new Strategy.Recreate(), 0), 4000);
        assertThat(r.complete()).isTrue();
        assertThat(r.minAvailable()).isZero();
        assertThat(r.maxTotal()).isEqualTo(3);
        assertThat(r.seconds()).isEqualTo(4.0);
    }

    @Test
    void randomSpecsAndReadinessKeepTheBoundsAndComplete() {
        qt().withExamples(400).forAll(integers().between(1, 40), integers().between(0, 100), integers().between(0, 100),
                        longs().between(0, Long.MAX_VALUE))
                .checkAssert((replicas, surgePct, unavailablePct, seed) -> {
                    int minReady = (int) (seed % 6);
                    var strategy = rolling(IntOrPercent.percent(surgePct), IntOrPercent.percent(unavailablePct));
                    RolloutSpec spec = spec(replicas, strategy, minReady);
                    Fenceposts f = Fenceposts.resolve(IntOrPercent.percent(surgePct), IntOrPercent.percent(unavailablePct), replicas);
                    Random random = new Random(seed);
                    var r = SimulatedRollout.run(spec, n -> random.nextInt(30_000));
                    assertThat(r.maxTotal()).as("total never exceeds replicas + maxSurge").isLessThanOrEqualTo(replicas + f.maxSurge());
                    assertThat(r.minAvailable()).as("available never below replicas - maxUnavailable")
                            .isGreaterThanOrEqualTo(replicas - f.maxUnavailable(replicas));
                    assertThat(r.complete()).as("the rollout completes").isTrue();
                    assertThat(r.deadlineExceeded()).isFalse();
                });
    }

    @Test
    void withReplicasThatNeverBecomeReadyEveryRolloutCompletesOrHitsItsDeadline() {
        qt().withExamples(300).forAll(integers().between(1, 30), integers().between(0, 100), integers().between(0, 100),
                        longs().between(0, Long.MAX_VALUE))
                .checkAssert((replicas, surgePct, unavailablePct, seed) -> {
                    Random random = new Random(seed);
                    double neverReady = random.nextInt(4) / 4.0; // 0, 25 %, 50 % or 75 % of new replicas never become ready
                    var strategy = rolling(IntOrPercent.percent(surgePct), IntOrPercent.percent(unavailablePct));
                    RolloutSpec spec = spec(replicas, strategy, (int) (seed % 4));
                    Fenceposts f = Fenceposts.resolve(IntOrPercent.percent(surgePct), IntOrPercent.percent(unavailablePct), replicas);
                    var r = SimulatedRollout.run(spec, n -> random.nextDouble() < neverReady ? SimulatedPlatform.NEVER_READY : random.nextInt(30_000));
                    assertThat(r.complete() ^ r.deadlineExceeded()).as("completes or hits its deadline, never both, never neither").isTrue();
                    assertThat(r.maxTotal()).isLessThanOrEqualTo(replicas + f.maxSurge());
                    assertThat(r.minAvailable()).isGreaterThanOrEqualTo(replicas - f.maxUnavailable(replicas));
                    if (neverReady == 0) assertThat(r.complete()).isTrue();
                });
    }

    @Test
    void aRevisionThatIsNeverReadyHitsTheDeadlineOneDeadlineAfterItsLastProgress() {
        RolloutSpec spec = spec(4, rolling(IntOrPercent.of(1), IntOrPercent.of(0)), 0);
        var r = SimulatedRollout.run(spec, SimulatedPlatform.NEVER_READY);
        assertThat(r.deadlineExceeded()).isTrue();
        assertThat(r.complete()).isFalse();
        assertThat(r.seconds()).isEqualTo(600.001); // progressDeadlineSeconds 600, first checked just after it
        assertThat(r.minAvailable()).isEqualTo(4);
    }
}
