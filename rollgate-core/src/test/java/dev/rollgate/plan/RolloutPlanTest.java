package dev.rollgate.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.spec.Rollout;
import dev.rollgate.spec.SpecParser;
import java.nio.file.Path;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class RolloutPlanTest {

    static final RolloutPlan.Assumptions K8S = new RolloutPlan.Assumptions(null, 100, 3, false);

    @Test
    void theDesignExampleSpec() throws Exception {
        Rollout r = SpecParser.parseFile(Path.of("../examples/specs/web.yaml")).getFirst();
        RolloutPlan p = RolloutPlan.of(PlanInput.of(r), K8S);
        // 4 replicas, maxSurge 25% -> 1, maxUnavailable 0: one at a time.
        assertThat(p.batch()).isEqualTo(1);
        assertThat(p.startupSeconds()).isEqualTo(1);      // startup probe: period 1 s
        assertThat(p.readinessSeconds()).isEqualTo(1);    // successThreshold 2, period 1 s: one period after the first
        assertThat(p.seconds()).isEqualTo(4 * (1 + 1 + 2)); // ceil(4/1) x (1 + 1 + minReadySeconds 2)
        assertThat(p.minCapacity()).isEqualTo(1.0);
        assertThat(p.maxCapacity()).isEqualTo(1.25);
        // 100 req/s x (3 s propagation - 2 s preStop sleep) x 1/4
        assertThat(p.failedPerRotation()).isCloseTo(25.0, Offset.offset(1e-9));
        assertThat(RolloutPlan.of(PlanInput.of(r), new RolloutPlan.Assumptions(10.0, 100, 3, true)).failedPerRotation()).isZero();
        assertThat(RolloutPlan.of(PlanInput.of(r), new RolloutPlan.Assumptions(10.0, 100, 3, true)).seconds()).isEqualTo(4 * (10 + 1 + 2));
    }

    @Test
    void alternativesShowTheTradeOff() throws Exception {
        Rollout r = SpecParser.parseFile(Path.of("../examples/specs/web.yaml")).getFirst();
        var rows = RolloutPlan.alternatives(PlanInput.of(r), new RolloutPlan.Assumptions(5.0, 100, 3, true));
        assertThat(rows).extracting(RolloutPlan::maxSurge, RolloutPlan::maxUnavailable, RolloutPlan::batch)
                .startsWith(org.assertj.core.groups.Tuple.tuple("25%", "25%", 2), org.assertj.core.groups.Tuple.tuple("25%", "0", 1));
        RolloutPlan allAtOnce = rows.getLast();
        assertThat(allAtOnce.maxUnavailable()).isEqualTo("100%");
        assertThat(allAtOnce.minCapacity()).isZero();
        assertThat(allAtOnce.seconds()).isEqualTo(5 + 1 + 2);
    }

    @Test
    void kubernetesDeploymentsArePlannedWithTheirRequests() throws Exception {
        var manifests = dev.rollgate.lint.Linter.parse(java.nio.file.Files.readString(Path.of("../examples/manifests/good.yaml")), "good.yaml");
        PlanInput in = PlanInput.of(dev.rollgate.lint.Workload.of(manifests.getFirst()));
        assertThat(in.replicas()).isEqualTo(3);
        assertThat(in.startupSeconds()).isEqualTo(2);   // startup probe period 2 s
        assertThat(in.readinessSeconds()).isEqualTo(2); // successThreshold 2, period 2 s
        assertThat(in.cpuRequest()).isEqualTo(0.25);
        assertThat(in.memoryRequest()).isEqualTo(256L * 1024 * 1024);
        RolloutPlan p = RolloutPlan.of(in, K8S);
        assertThat(p.batch()).isEqualTo(1);             // 25% of 3 rounds up to 1, maxUnavailable 0
        assertThat(p.seconds()).isEqualTo(3 * (2 + 2 + 10));
        assertThat(RolloutPlan.of(in, new RolloutPlan.Assumptions(null, 100, 8, false)).failedPerRotation())
                .isCloseTo(100.0 * (8 - 5) / 3, Offset.offset(1e-9));
        assertThat(dev.rollgate.simulation.SimulatedRollout.run(in.toSpec(), 4000).seconds()).isEqualTo(3 * (4 + 10));
    }

    @Test
    void quantities() {
        assertThat(Quantities.cores("250m")).isEqualTo(0.25);
        assertThat(Quantities.cores("2")).isEqualTo(2.0);
        assertThat(Quantities.bytes("1Gi")).isEqualTo(1L << 30);
        assertThat(Quantities.bytes("500M")).isEqualTo(500_000_000L);
        assertThat(Quantities.bytes("lots")).isZero();
    }
}
