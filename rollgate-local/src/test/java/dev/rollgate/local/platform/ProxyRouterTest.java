package dev.rollgate.local.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.controller.TrafficPlan;
import dev.rollgate.local.dataplane.client.ServiceProxy;
import dev.rollgate.proxy.MatchRoute;
import dev.rollgate.rollout.ProgressivePlan;
import dev.rollgate.spec.CanaryStep;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyRouterTest {

    @Test
    void headerRoutesKeepTheirMatchKindAndAllConditions() {
        var route = new ProgressivePlan.HeaderRoute("beta", List.of(new CanaryStep.HeaderMatch("X-Beta", null, "yes", null),
                new CanaryStep.HeaderMatch("X-Region", null, null, "eu-.*"), new CanaryStep.HeaderMatch("X-Exact", "1", null, null)), "bbb");
        ServiceProxy.Traffic t = ProxyRouter.traffic(new TrafficPlan(Map.of("aaa", 90, "bbb", 10), null, "aaa", List.of(route), false), null);
        assertThat(t.weights()).containsEntry("bbb", 10);
        assertThat(t.stable()).isEqualTo("aaa");
        assertThat(t.routes()).singleElement().satisfies(r -> {
            assertThat(r.revision()).isEqualTo("bbb");
            assertThat(r.when()).extracting(MatchRoute.When::mode)
                    .containsExactly(MatchRoute.Mode.PREFIX, MatchRoute.Mode.REGEX, MatchRoute.Mode.EXACT);
        });
    }

    @Test
    void routingByReadinessClearsTheExplicitTable() {
        assertThat(ProxyRouter.traffic(TrafficPlan.BY_READINESS, null)).isNull();
    }
}
