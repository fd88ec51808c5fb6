package dev.rollgate.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The DORA figures from a recorded history: deployments, lead time, failures and restores. */
class DeliveryStatsTest {

    static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private final List<DeliveryStats.Event> events = new ArrayList<>();

    private DeliveryStatsTest at(long minute, String reason, String message) {
        events.add(new DeliveryStats.Event(T0.plus(Duration.ofMinutes(minute)), reason, message));
        return this;
    }

    private DeliveryStats.Figures figures(long fromMinute, long toMinute) {
        return DeliveryStats.of("web", events, T0.plus(Duration.ofMinutes(fromMinute)), T0.plus(Duration.ofMinutes(toMinute)));
    }

    @Test
    void aHistoryOfGoodBadAndUndoneDeploymentsGivesTheFourFigures() {
        at(0, "RolloutStarted", "rolling out revision 1 (v1)").at(2, "RolloutCompleted", "revision 1 (v1) complete");
        at(60, "RolloutStarted", "rolling out revision 2 (v2)").at(70, "RolloutCompleted", "revision 2 (v2) complete");
        // v3: its canary is aborted by the judge after 5 minutes; traffic is back on v2 in the same pass.
        at(120, "RolloutStarted", "rolling out revision 3 (v3)").at(125, "AnalysisFailed", "errors")
                .at(125, "RolloutAborted", "revision 3 aborted: ...; all traffic is back on revision 2");
        // v4: completes after 4 minutes, rolled back during its bake 20 minutes later; v2 complete again 1 minute after.
        at(180, "RolloutStarted", "rolling out revision 4 (v4)").at(184, "RolloutCompleted", "revision 4 (v4) complete")
                .at(204, "BakeRolledBack", "rolled back during its bake")
                .at(204, "RolloutStarted", "rolling out revision 5 (v2) (the template of an earlier revision, re-adopted)")
                .at(205, "RolloutCompleted", "revision 5 (v2) complete");
        // v5: undone by a person after it completed.
        at(300, "RolloutStarted", "rolling out revision 6 (v5)").at(306, "RolloutCompleted", "revision 6 (v5) complete")
                .at(330, "RollbackStarted", "rolling back to the template of revision 5")
                .at(331, "RolloutStarted", "rolling out revision 7 (v2) (the template of an earlier revision, re-adopted)")
                .at(340, "RolloutCompleted", "revision 7 (v2) complete");
        // v6: still rolling out.
        at(400, "RolloutStarted", "rolling out revision 8 (v6)");

        var f = figures(0, 24 * 60);
        assertThat(f.deployments()).isEqualTo(6);
        assertThat(f.succeeded()).isEqualTo(2);
        assertThat(f.failed()).isEqualTo(3);
        assertThat(f.inProgress()).isEqualTo(1);
        assertThat(f.perDay()).isEqualTo(2.0);
        assertThat(f.changeFailureRate()).isEqualTo(0.6);
        // Lead times of the completed ones: 2, 10, 4, 6 minutes.
        assertThat(f.leadTimeMedian()).isEqualTo(Duration.ofMinutes(4));
        assertThat(f.leadTimeP90()).isEqualTo(Duration.ofMinutes(10));
        // Restores: 5 (v3 start to its abort), 25 (v4 start to v2 complete again), 40 (v5 start to v2 complete again).
        assertThat(f.timeToRestoreMedian()).isEqualTo(Duration.ofMinutes(25));
    }

    @Test
    void aRollingUpdateRolledBackAtItsDeadlineIsRestoredWhenTheRollbackCompletes() {
        at(0, "RolloutStarted", "rolling out revision 1 (v1)").at(1, "RolloutCompleted", "revision 1 (v1) complete");
        at(10, "RolloutStarted", "rolling out revision 2 (v2)")
                .at(20, "RolloutAborted", "revision 2 (v2) made no progress for 600s; rolling back to revision 1 (v1)")
                .at(20, "RolloutStarted", "rolling out revision 3 (v1) (the template of an earlier revision, re-adopted)")
                .at(23, "RolloutCompleted", "revision 3 (v1) complete");
        var f = figures(0, 60);
        assertThat(f.failed()).isEqualTo(1);
        assertThat(f.timeToRestoreMedian()).isEqualTo(Duration.ofMinutes(13));
    }

    @Test
    void onlyDeploymentsStartedInThePeriodCountAndAnEmptyHistoryHasNoFigures() {
        at(0, "RolloutStarted", "rolling out revision 1 (v1)").at(2, "RolloutCompleted", "revision 1 (v1) complete");
        at(100, "RolloutStarted", "rolling out revision 2 (v2)").at(103, "RolloutCompleted", "revision 2 (v2) complete");
        var f = figures(50, 150);
        assertThat(f.deployments()).isEqualTo(1);
        assertThat(f.leadTimeMedian()).isEqualTo(Duration.ofMinutes(3));
        var none = DeliveryStats.of("web", List.of(), T0, T0.plus(Duration.ofDays(30)));
        assertThat(none.deployments()).isZero();
        assertThat(none.changeFailureRate()).isNull();
        assertThat(none.leadTimeMedian()).isNull();
        assertThat(none.timeToRestoreMedian()).isNull();
    }
}
