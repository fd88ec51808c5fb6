package dev.rollgate.local.platform;

import dev.rollgate.analysis.run.LoadTarget;
import dev.rollgate.controller.TrafficPlan;
import dev.rollgate.controller.TrafficRouter;
import dev.rollgate.local.analysis.ProxyLoadTarget;
import dev.rollgate.local.dataplane.ProxyHandle;
import dev.rollgate.local.dataplane.client.ServiceProxy;
import dev.rollgate.local.store.StoredService;
import dev.rollgate.proxy.MatchRoute;
import dev.rollgate.proxy.MirrorRoute;
import dev.rollgate.rollout.ProgressivePlan;
import dev.rollgate.spec.CanaryStep;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The embedded platform's traffic router: a service's proxy (in the data plane), with header routes as the proxy matches them. */
public final class ProxyRouter implements TrafficRouter {

    private final String name;
    private final ServiceProxy proxy;
    private final StoredService events;
    private final ProxyLoadTarget load;
    private int failedPreviewPort = -1;

    /**
     * {@code proxy}: null for a service without {@code spec.service}; nothing is routed then.
     * {@code load}: the analysis' load target, whose header reaches each revision of a plan.
     */
    public ProxyRouter(String name, ServiceProxy proxy, StoredService events, ProxyLoadTarget load) {
        this.name = name;
        this.proxy = proxy;
        this.events = events;
        this.load = load;
    }

    @Override
    public void route(TrafficPlan plan) {
        if (proxy == null) return;
        proxy.route(traffic(plan, load));
        proxy.masking(plan.masking());
    }

    /** The plan as the proxy's routing (with a route per revision for Rollgate's own load); null routes by readiness. */
    static ServiceProxy.Traffic traffic(TrafficPlan plan, ProxyLoadTarget load) {
        if (plan.byReadiness()) return null;
        List<MatchRoute> routes = new ArrayList<>(plan.routes().stream().map(ProxyRouter::matchRoute).toList());
        if (load != null) {
            for (String revision : plan.weights().keySet()) routes.add(MatchRoute.header(LoadTarget.HEADER, load.value(revision), revision));
        }
        return new ServiceProxy.Traffic(plan.weights(), plan.preview(), plan.maskOn(), routes, mirror(plan.mirror()));
    }

    /** A setMirrorRoute as the proxy matches it. */
    static MirrorRoute mirror(ProgressivePlan.Mirror m) {
        if (m == null) return null;
        CanaryStep.SetMirrorRoute r = m.route();
        List<MirrorRoute.Match> match = r.match().stream().map(x -> new MirrorRoute.Match(x.method(),
                x.path() == null ? null : mode(x.path()), x.path() == null ? null : value(x.path()),
                x.headers().stream().map(ProxyRouter::when).toList())).toList();
        return new MirrorRoute(m.revision(), r.percentage() == null ? 100 : r.percentage(), match, r.compareBody(), r.ignoreHeaders());
    }

    private static MatchRoute.Mode mode(CanaryStep.ValueMatch v) {
        return v.exact() != null ? MatchRoute.Mode.EXACT : v.prefix() != null ? MatchRoute.Mode.PREFIX : MatchRoute.Mode.REGEX;
    }

    private static String value(CanaryStep.ValueMatch v) {
        return v.exact() != null ? v.exact() : v.prefix() != null ? v.prefix() : v.regex();
    }

    @Override
    public void previewPort(int port) {
        if (proxy == null || port == failedPreviewPort) return;
        try {
            proxy.previewPort(port);
            failedPreviewPort = -1;
        } catch (ProxyHandle.ProxyException | RuntimeException e) {
            failedPreviewPort = port; // reported once; tried again when the spec names another port
            events.event("Warning", "PreviewPortFailed", name, port == 0 ? "cannot close the preview port: " + e.getMessage()
                    : "cannot listen on preview port " + port + ": " + e.getMessage(), Instant.now());
        }
    }

    private static MatchRoute matchRoute(ProgressivePlan.HeaderRoute h) {
        List<MatchRoute.When> when = h.match().stream().map(ProxyRouter::when).toList();
        return new MatchRoute(when, h.revision());
    }

    private static MatchRoute.When when(CanaryStep.HeaderMatch m) {
        if (m.exact() != null) return new MatchRoute.When(MatchRoute.Kind.HEADER, m.headerName(), MatchRoute.Mode.EXACT, m.exact());
        if (m.prefix() != null) return new MatchRoute.When(MatchRoute.Kind.HEADER, m.headerName(), MatchRoute.Mode.PREFIX, m.prefix());
        return new MatchRoute.When(MatchRoute.Kind.HEADER, m.headerName(), MatchRoute.Mode.REGEX, m.regex());
    }
}
