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
        RolloutPlan p = RolloutPlan.of(r.spec(), K8S);
        // 4 replicas, maxSurge 25% -> 1, maxUnavailable 0: one at a time.
        assertThat(p.batch()).isEqualTo(1);
        assertThat(p.startupSeconds()).isEqualTo(1);      // startup probe: period 1 s
        assertThat(p.readinessSeconds()).isEqualTo(1);    // successThreshold 2, period 1 s: one period after the first
        assertThat(p.seconds()).isEqualTo(4 * (1 + 1 + 2)); // ceil(4/1) x (1 + 1 + minReadySeconds 2)
        assertThat(p.minCapacity()).isEqualTo(1.0);
        assertThat(p.maxCapacity()).isEqualTo(1.25);
        // 100 req/s x (3 s propagation - 2 s preStop sleep) x 1/4
        assertThat(p.failedPerRotation()).isCloseTo(25.0, Offset.offset(1e-9));
        assertThat(RolloutPlan.of(r.spec(), new RolloutPlan.Assumptions(10.0, 100, 3, true)).failedPerRotation()).isZero();
        assertThat(RolloutPlan.of(r.spec(), new RolloutPlan.Assumptions(10.0, 100, 3, true)).seconds()).isEqualTo(4 * (10 + 1 + 2));
    }

    @Test
    void alternativesShowTheTradeOff() throws Exception {
        Rollout r = SpecParser.parseFile(Path.of("../examples/specs/web.yaml")).getFirst();
        var rows = RolloutPlan.alternatives(r.spec(), new RolloutPlan.Assumptions(5.0, 100, 3, true));
        assertThat(rows).extracting(RolloutPlan::maxSurge, RolloutPlan::maxUnavailable, RolloutPlan::batch)
                .startsWith(org.assertj.core.groups.Tuple.tuple("25%", "25%", 2), org.assertj.core.groups.Tuple.tuple("25%", "0", 1));
        RolloutPlan allAtOnce = rows.getLast();
        assertThat(allAtOnce.maxUnavailable()).isEqualTo("100%");
        assertThat(allAtOnce.minCapacity()).isZero();
        assertThat(allAtOnce.seconds()).isEqualTo(5 + 1 + 2);
    }
}
