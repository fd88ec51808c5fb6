package dev.rollgate.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rows in the manner of the Deployment controller's TestScale. */
class ProportionalScalingTest {

    @Test
    void scalingUpMidRolloutKeepsTheProportions() {
        // 10 -> 20 replicas with maxSurge 3: both groups were scaled for max 13; now max is 23.
        List<ReplicaSetState> groups = List.of(group(1, 5, 5, 10, 13), group(2, 5, 0, 10, 13));
        assertThat(ProportionalScaling.isScalingEvent(20, groups)).isTrue();
        assertThat(ProportionalScaling.scale(20, 3, 10, groups, 2)).isEqualTo(Map.of(2, 14, 1, 9));
    }

    @Test
    void scalingDownMidRolloutTakesFromTheLargestFirst() {
        // 10 -> 5 replicas with maxSurge 3 (max 8): 6 new and 4 old, both scaled for max 13.
        List<ReplicaSetState> groups = List.of(group(1, 4, 4, 10, 13), group(2, 6, 2, 10, 13));
        assertThat(ProportionalScaling.scale(5, 3, 10, groups, 2)).isEqualTo(Map.of(2, 4));
    }

    @Test
    void aSingleActiveGroupSimplyTakesTheNewCount() {
        List<ReplicaSetState> groups = List.of(group(1, 0, 0, 3, 4), group(2, 3, 3, 3, 4));
        assertThat(ProportionalScaling.scale(7, 2, 3, groups, 2)).isEqualTo(Map.of(2, 7));
        assertThat(ProportionalScaling.isScalingEvent(3, groups)).isFalse();
    }

    @Test
    void aSaturatedNewGroupScalesTheOldOnesToZero() {
        List<ReplicaSetState> groups = List.of(group(1, 2, 2, 4, 5), group(2, 4, 4, 4, 5));
        assertThat(ProportionalScaling.scale(4, 1, 6, groups, 2)).isEqualTo(Map.of(1, 0));
    }

    @Test
    void scalingToZeroEmptiesEveryGroup() {
        List<ReplicaSetState> groups = List.of(group(1, 3, 3, 5, 6), group(2, 2, 0, 5, 6));
        assertThat(ProportionalScaling.scale(0, 1, 5, groups, 2)).isEqualTo(Map.of(1, 0, 2, 0));
    }

    /** A group, oldest first in its list: its size, available replicas, and the replica count and max it was last scaled for. */
    private static ReplicaSetState group(int revision, int replicas, int available, int desiredFor, int maxFor) {
        return new ReplicaSetState(revision, "h" + revision, "revision " + revision, replicas, replicas, available, available, desiredFor, maxFor);
    }
}
