package dev.rollgate.local.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.local.ServiceProxy;
import dev.rollgate.proxy.MatchRoute;
import dev.rollgate.rollout.ProgressivePlan;
import dev.rollgate.rollout.ProgressiveState;
import dev.rollgate.spec.CanaryStep;
import dev.rollgate.spec.Handler;
import dev.rollgate.spec.IntOrPercent;
import dev.rollgate.spec.Strategy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrafficPlanTest {

    private static ProgressivePlan plan(List<ProgressivePlan.HeaderRoute> routes, String preview) {
        ProgressiveState state = new ProgressiveState("aaa", "bbb", 1, null, null, null, false, false, null, null, null, null, null, 1);
        return new ProgressivePlan(state, Map.of(), Map.of("aaa", 90, "bbb", 10), preview, routes, Map.of(), List.of(), null, false, "");
    }

    @Test
    void headerRoutesKeepTheirMatchKindAndAllConditions() {
        var route = new ProgressivePlan.HeaderRoute("beta", List.of(new CanaryStep.HeaderMatch("X-Beta", null, "yes", null),
                new CanaryStep.HeaderMatch("X-Region", null, null, "eu-.*")), "bbb");
        var canary = new Strategy.Canary(List.of(), IntOrPercent.percent(25), IntOrPercent.percent(25), null, 0, 0, false);
        ServiceProxy.Traffic t = TrafficPlan.of(plan(List.of(route), null), canary);
        assertThat(t.weights()).containsEntry("bbb", 10);
        assertThat(t.stable()).isEqualTo("aaa");
        assertThat(t.routes()).singleElement().satisfies(r -> {
            assertThat(r.revision()).isEqualTo("bbb");
            assertThat(r.when()).extracting(MatchRoute.When::mode).containsExactly(MatchRoute.Mode.PREFIX, MatchRoute.Mode.REGEX);
        });
    }

    @Test
    void blueGreenPreviewHeaderRoutesToThePreview() {
        var bg = new Strategy.BlueGreen(null, new Handler.HttpHeader("X-Preview", "1"), null, true, 0, 0, 0, null, null);
        ServiceProxy.Traffic t = TrafficPlan.of(plan(List.of(), "bbb"), bg);
        assertThat(t.preview()).isEqualTo("bbb");
        assertThat(t.routes()).containsExactly(MatchRoute.header("X-Preview", "1", "bbb"));
    }
}
