package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Failures in a row per replica, ejections within the revision's share, and the router's pick around them. */
class OutliersTest {

    private final ProxyMetrics metrics = new ProxyMetrics();
    private final Router router = new Router(metrics, id -> {});

    private static final Endpoint A1 = new Endpoint("a1", "a", "127.0.0.1", 1001);
    private static final Endpoint A2 = new Endpoint("a2", "a", "127.0.0.1", 1002);
    private static final Endpoint A3 = new Endpoint("a3", "a", "127.0.0.1", 1003);

    @AfterEach
    void close() {
        router.close();
        metrics.close();
    }

    private EndpointState state(String id) {
        for (int i = 0; i < 20; i++) {
            EndpointState s = router.pick(new Router.Want(false, "a"), Set.of());
            s.release();
            if (s.endpoint.id().equals(id)) return s;
        }
        throw new AssertionError(id + " is never picked");
    }

    private Set<String> picked(int times) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < times; i++) {
            EndpointState s = router.pick(new Router.Want(false, "a"), Set.of());
            out.add(s.endpoint.id());
            s.release();
        }
        return out;
    }

    private void fail(EndpointState s, int times) {
        for (int i = 0; i < times; i++) router.outliers().observe(s, true);
    }

    @Test
    void fiveFailuresInARowTakeAReplicaOutOfRoutingAndItIsRecorded() {
        router.update(RoutingTable.single("a", List.of(A1, A2, A3)));
        EndpointState a2 = state("a2");
        fail(a2, 4);
        assertThat(picked(30)).contains("a2");
        fail(a2, 1);
        assertThat(a2.ejected(System.nanoTime())).isTrue();
        assertThat(picked(30)).containsExactlyInAnyOrder("a1", "a3");

        List<Ejection> recorded = metrics.ejections();
        assertThat(recorded).hasSize(1);
        Ejection e = recorded.getFirst();
        assertThat(e.sequence()).isEqualTo(1);
        assertThat(e.endpoint()).isEqualTo("a2");
        assertThat(e.revision()).isEqualTo("a");
        assertThat(e.failures()).isEqualTo(5);
        assertThat(e.number()).isEqualTo(1);
        assertThat(e.seconds()).isEqualTo(30);
        assertThat(metrics.prometheus()).contains("rollgate_proxy_ejections_total{revision=\"a\",endpoint=\"a2\"} 1")
                .contains("rollgate_proxy_ejected{revision=\"a\",endpoint=\"a2\"} 1");
    }

    @Test
    void aSuccessInBetweenStartsTheCountOver() {
        router.update(RoutingTable.single("a", List.of(A1, A2, A3)));
        EndpointState a1 = state("a1");
        fail(a1, 4);
        router.outliers().observe(a1, false);
        fail(a1, 4);
        assertThat(a1.ejected(System.nanoTime())).isFalse();
        assertThat(metrics.ejections()).isEmpty();
        assertThat(metrics.prometheus()).doesNotContain("ejections_total");
    }

    @Test
    void noMoreThanTheRevisionsShareIsOutAtOnceAndALoneReplicaNeverIs() {
        router.update(RoutingTable.single("a", List.of(A1, A2, A3)));
        EndpointState a1 = state("a1"), a2 = state("a2");
        fail(a1, 5);
        fail(a2, 50);
        assertThat(a1.ejected(System.nanoTime())).isTrue();
        assertThat(a2.ejected(System.nanoTime())).as("half of three is one").isFalse();

        router.update(RoutingTable.single("a", List.of(A3)));
        EndpointState a3 = state("a3");
        fail(a3, 50);
        assertThat(a3.ejected(System.nanoTime())).isFalse();
    }

    @Test
    void whenEveryReplicaLeftIsEjectedTheLeastLoadedOfThemStillServes() {
        router.update(RoutingTable.single("a", List.of(A1, A2)));
        EndpointState a1 = state("a1");
        fail(a1, 5);
        assertThat(a1.ejected(System.nanoTime())).isTrue();
        router.update(RoutingTable.single("a", List.of(A1)));
        assertThat(picked(5)).containsExactly("a1");
    }

    @Test
    void offCountsButNeverEjects() {
        router.update(RoutingTable.single("a", List.of(A1, A2, A3)));
        router.outliers().settings(OutlierDetection.OFF);
        EndpointState a1 = state("a1");
        fail(a1, 100);
        assertThat(a1.ejected(System.nanoTime())).isFalse();
        assertThat(picked(30)).contains("a1");
    }

    @Test
    void theNextEjectionLastsLongerAndTheRecordKeepsOnlyTheLatest() {
        router.update(RoutingTable.single("a", List.of(A1, A2, A3)));
        router.outliers().settings(new OutlierDetection(1, Duration.ofMillis(1), Duration.ofSeconds(300), 50));
        EndpointState a1 = state("a1");
        List<Integer> numbers = new ArrayList<>();
        for (int i = 0; i < TrafficMetrics.EJECTIONS_KEPT + 3; i++) {
            a1.ejectedUntilNanos = 0; // as if its last ejection had ended
            fail(a1, 1);
            numbers.add(metrics.ejections().getLast().number());
        }
        assertThat(numbers.subList(0, 3)).containsExactly(1, 2, 3);
        assertThat(metrics.ejections()).hasSize(TrafficMetrics.EJECTIONS_KEPT);
        assertThat(metrics.ejections().getFirst().sequence()).isEqualTo(4);
        assertThat(metrics.ejections().getLast().sequence()).isEqualTo(TrafficMetrics.EJECTIONS_KEPT + 3);
    }
}
