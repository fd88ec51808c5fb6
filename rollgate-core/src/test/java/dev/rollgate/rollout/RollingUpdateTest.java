package dev.rollgate.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.spec.IntOrPercent;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Deployment controller's arithmetic, row by row, as in its own table tests. */
class RollingUpdateTest {

    static IntOrPercent iop(String s) {
        return s.endsWith("%") ? IntOrPercent.percent(Integer.parseInt(s.substring(0, s.length() - 1))) : IntOrPercent.of(Integer.parseInt(s));
    }

    @ParameterizedTest(name = "surge {0}, unavailable {1}, replicas {2} -> {3}/{4}")
    @CsvSource({
            "25%, 25%, 4, 1, 1", "25%, 25%, 10, 3, 2", "25%, 0, 10, 3, 0", "0, 25%, 3, 0, 1",
            "0, 0, 5, 0, 1",      // both 0: maxUnavailable forced to 1
            "0%, 1%, 10, 0, 1",   // 1% of 10 rounds down to 0, then forced to 1
            "1%, 0, 10, 1, 0",    // 1% of 10 rounds up to 1
            "100%, 100%, 3, 3, 3", "2, 3, 10, 2, 3"})
    void fenceposts(String surge, String unavailable, int replicas, int expectedSurge, int expectedUnavailable) {
        Fenceposts f = Fenceposts.resolve(iop(surge), iop(unavailable), replicas);
        assertThat(f).isEqualTo(new Fenceposts(expectedSurge, expectedUnavailable));
    }

    @ParameterizedTest(name = "desired {0}, surge {1}, total {2}, new {3} -> {4}")
    @CsvSource({
            "10, 3, 10, 0, 3",   // start: grow by the surge
            "10, 3, 13, 3, 3",   // at the cap: wait
            "10, 3, 11, 3, 5",   // two old ones went: grow by two
            "10, 3, 10, 8, 10",  // never past desired
            "10, 0, 10, 0, 0",   // no surge: old must go first
            "1, 1, 1, 0, 1"})
    void newReplicaSetGrowth(int desired, int surge, int total, int newSpec, int expected) {
        assertThat(RollingUpdate.newReplicas(desired, new Fenceposts(surge, 0), total, newSpec)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            nothing new available: no scale-down        | 10 | 3 | 0 | 10:10 | 3:0  | 10
            unavailable budget lets two go              | 10 | 3 | 2 | 10:10 | 3:0  | 8
            new ones available: old shrink to match     | 10 | 3 | 2 | 10:10 | 3:3  | 5
            unhealthy old replicas go first             | 4  | 1 | 0 | 4:2   | 1:1  | 3
            all new available: the rest of old goes     | 4  | 1 | 1 | 1:1   | 4:4  | 0
            """)
    void oldReplicaSetScaleDown(String name, int desired, int surge, int unavailable, String oldSpecAvail, String newSpecAvail, int expectedOld) {
        String[] o = oldSpecAvail.split(":"), n = newSpecAvail.split(":");
        ReplicaSetState old = new ReplicaSetState(1, Integer.parseInt(o[0]), Integer.parseInt(o[0]), Integer.parseInt(o[1]), Integer.parseInt(o[1]));
        ReplicaSetState neu = new ReplicaSetState(2, Integer.parseInt(n[0]), Integer.parseInt(n[0]), Integer.parseInt(n[1]), Integer.parseInt(n[1]));
        List<ReplicaSetState> result = RollingUpdate.scaleDownOld(desired, new Fenceposts(surge, unavailable), List.of(old), neu);
        assertThat(result.getFirst().replicas()).isEqualTo(expectedOld);
    }
}
