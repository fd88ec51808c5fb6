package dev.rollgate.local.daemon;

import dev.rollgate.local.ServiceProxy;
import dev.rollgate.proxy.MatchRoute;
import dev.rollgate.rollout.ProgressivePlan;
import dev.rollgate.spec.Strategy;
import java.util.ArrayList;
import java.util.List;

/** A canary's or blue-green's plan as the proxy's routing: weights, preview, header routes, and stable for masking. */
final class TrafficPlan {

    private TrafficPlan() {}

    static ServiceProxy.Traffic of(ProgressivePlan plan, Strategy strategy) {
        List<MatchRoute> routes = new ArrayList<>();
        for (ProgressivePlan.HeaderRoute h : plan.routes()) {
            List<MatchRoute.When> when = h.match().stream().map(m -> m.exact() != null
                    ? new MatchRoute.When(MatchRoute.Kind.HEADER, m.headerName(), MatchRoute.Mode.EXACT, m.exact())
                    : m.prefix() != null ? new MatchRoute.When(MatchRoute.Kind.HEADER, m.headerName(), MatchRoute.Mode.PREFIX, m.prefix())
                    : new MatchRoute.When(MatchRoute.Kind.HEADER, m.headerName(), MatchRoute.Mode.REGEX, m.regex())).toList();
            routes.add(new MatchRoute(when, h.revision()));
        }
        if (strategy instanceof Strategy.BlueGreen bg && bg.previewHeader() != null && plan.preview() != null) {
            routes.add(MatchRoute.header(bg.previewHeader().name(), bg.previewHeader().value(), plan.preview()));
        }
        return new ServiceProxy.Traffic(plan.weights(), plan.preview(), plan.state().stableHash(), routes);
    }
}
