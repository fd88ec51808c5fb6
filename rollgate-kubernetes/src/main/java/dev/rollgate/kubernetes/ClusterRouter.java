package dev.rollgate.kubernetes;

import dev.rollgate.controller.TrafficPlan;
import dev.rollgate.controller.TrafficRouter;
import dev.rollgate.rollout.ProgressivePlan;
import dev.rollgate.spec.CanaryStep;
import dev.rollgate.spec.RolloutSpec;
import dev.rollgate.spec.Strategy;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Traffic on Kubernetes: Services that select a revision by {@code pod-template-hash}
 * ({@code NAME-stable} and {@code NAME-canary} for a canary, {@code NAME-active} and
 * {@code NAME-preview} for a blue-green, {@code NAME} for every pod of the Rollout), and, when the
 * canary names one, the weights and header matches of a Gateway API HTTPRoute. Without an
 * HTTPRoute the split is what the replica counts make it, as Argo's basic canary.
 */
final class ClusterRouter implements TrafficRouter {

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final Supplier<RolloutResource> owner;
    private final Supplier<RolloutSpec> spec;
    private TrafficPlan applied;

    ClusterRouter(KubernetesClient client, String namespace, String name, Supplier<RolloutResource> owner, Supplier<RolloutSpec> spec) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.owner = owner;
        this.spec = spec;
    }

    static final String STABLE = "-stable", CANARY = "-canary", ACTIVE = "-active", PREVIEW = "-preview";

    /** The Services the operator keeps for a Rollout of {@code strategy}: every pod's, then the strategy's pair. */
    static List<String> services(String name, Strategy strategy) {
        return switch (strategy) {
            case Strategy.BlueGreen bg -> List.of(name, name + ACTIVE, name + PREVIEW);
            case Strategy.Canary c -> List.of(name, name + STABLE, name + CANARY);
            default -> List.of(name);
        };
    }

    @Override
    public void route(TrafficPlan plan) {
        if (plan.equals(applied)) return;
        RolloutSpec s = spec.get();
        service(name, null, s);
        if (!plan.byReadiness()) {
            String stable = plan.stable();
            String other = other(plan);
            if (s.strategy() instanceof Strategy.BlueGreen) {
                String active = active(plan);
                service(name + ACTIVE, active, s);
                service(name + PREVIEW, plan.preview() != null ? plan.preview() : active, s);
            } else {
                service(name + STABLE, stable, s);
                service(name + CANARY, other, s);
                if (s.cluster() != null && s.cluster().httpRoute() != null) httpRoute(s.cluster().httpRoute(), plan, stable, other, s);
            }
        }
        applied = plan;
    }

    /**
     * What was changed out of band in the traffic the operator set (a Service's selector, the HTTPRoute's weights); with
     * {@code heal}, set again as the last plan says.
     */
    List<String> drift(boolean heal) {
        if (applied == null) return List.of();
        RolloutSpec s = spec.get();
        List<String> found = new ArrayList<>();
        for (String svc : services(name, s.strategy())) {
            Service live = client.services().inNamespace(namespace).withName(svc).get();
            if (live == null || !ownedByRollout(live)) continue;
            Map<String, String> want = selectors(applied, s).get(svc);
            if (want != null && !Objects.equals(live.getSpec().getSelector(), want)) {
                found.add("Service " + svc + "'s selector was changed out of band to " + live.getSpec().getSelector() + "; the operator set " + want);
            }
        }
        if (s.cluster() != null && s.cluster().httpRoute() != null && !applied.byReadiness() && s.strategy() instanceof Strategy.Canary) {
            HTTPRoute route = client.resources(HTTPRoute.class).inNamespace(namespace).withName(s.cluster().httpRoute()).get();
            List<HTTPRouteRule> rules = route == null || route.getSpec().getRules() == null ? List.of() : route.getSpec().getRules();
            List<Integer> live = rules.isEmpty() ? List.of() : rules.getLast().getBackendRefs().stream().map(HTTPBackendRef::getWeight).toList();
            List<Integer> want = weights(applied);
            if (route != null && !live.equals(want)) {
                found.add("HTTPRoute " + s.cluster().httpRoute() + "'s weights were changed out of band to " + live + "; the operator set " + want);
            }
        }
        if (heal && !found.isEmpty()) {
            TrafficPlan plan = applied;
            applied = null;
            route(plan);
        }
        return found;
    }

    private boolean ownedByRollout(Service svc) {
        RolloutResource rollout = owner.get();
        return svc.getMetadata().getOwnerReferences() != null && svc.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> Objects.equals(o.getUid(), rollout.getMetadata().getUid()));
    }

    /** The selector of each Service as {@code plan} sets it. */
    private Map<String, Map<String, String>> selectors(TrafficPlan plan, RolloutSpec s) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        out.put(name, selector(null));
        if (plan.byReadiness()) return out;
        String stable = plan.stable();
        String other = other(plan);
        if (s.strategy() instanceof Strategy.BlueGreen) {
            String active = active(plan);
            out.put(name + ACTIVE, selector(active));
            out.put(name + PREVIEW, selector(plan.preview() != null ? plan.preview() : active));
        } else {
            out.put(name + STABLE, selector(stable));
            out.put(name + CANARY, selector(other));
        }
        return out;
    }

    /** The split rule's weights, stable then canary, as {@code plan} sets them. */
    private static List<Integer> weights(TrafficPlan plan) {
        String stable = plan.stable();
        String canary = other(plan);
        return List.of(plan.weights().getOrDefault(stable, 0), canary.equals(stable) ? 0 : plan.weights().getOrDefault(canary, 0));
    }

    private static String other(TrafficPlan plan) {
        String stable = plan.stable();
        return plan.weights().keySet().stream().filter(h -> !h.equals(stable)).findFirst().orElse(plan.preview() != null ? plan.preview() : stable);
    }

    private static String active(TrafficPlan plan) {
        return plan.weights().entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).findFirst().orElse(plan.stable());
    }

    private Map<String, String> selector(String hash) {
        Map<String, String> selector = new LinkedHashMap<>();
        selector.put(Labels.ROLLOUT, name);
        if (hash != null) selector.put(Labels.POD_TEMPLATE_HASH, Labels.hash(hash));
        return selector;
    }

    /** The preview is a Service ({@code NAME-preview}), not a port, on Kubernetes. */
    @Override
    public void previewPort(int port) {}

    private int port(RolloutSpec s) {
        return s.service() != null ? s.service().port() : 80;
    }

    private IntOrString targetPort(RolloutSpec s) {
        var ports = s.template().ports();
        return new IntOrString(ports.isEmpty() ? port(s) : ports.getFirst().containerPort());
    }

    /** A Service selecting the Rollout's pods of {@code hash} (every pod of the Rollout when null), owned by the Rollout. */
    private void service(String serviceName, String hash, RolloutSpec s) {
        Map<String, String> selector = selector(hash);
        Service existing = client.services().inNamespace(namespace).withName(serviceName).get();
        if (existing != null && Objects.equals(existing.getSpec().getSelector(), selector)) return;
        RolloutResource rollout = owner.get();
        // A Service of the same name that the Rollout does not own (the one in front of a workloadRef Deployment) stays as its owner made it.
        if (existing != null && !ownedByRollout(existing)) return;
        Service svc = new ServiceBuilder().withNewMetadata().withName(serviceName).withNamespace(namespace)
                .addToLabels(Labels.ROLLOUT, name).addToLabels(Labels.MANAGED_BY, "rollgate")
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(RolloutResource.API_VERSION).withKind("Rollout")
                        .withName(rollout.getMetadata().getName()).withUid(rollout.getMetadata().getUid()).withController(true).build())
                .endMetadata().withNewSpec().withSelector(selector).addNewPort().withName("http").withPort(port(s))
                .withTargetPort(targetPort(s)).endPort().endSpec().build();
        if (existing == null) {
            client.services().inNamespace(namespace).resource(svc).create();
        } else {
            Conflicts.retry(() -> client.services().inNamespace(namespace).withName(serviceName).edit(x -> {
                x.getSpec().setSelector(selector);
                return x;
            }));
        }
    }

    /** The route's header matches to the canary first, then its traffic split by weight between the two Services. */
    private void httpRoute(String routeName, TrafficPlan plan, String stable, String canary, RolloutSpec s) {
        var route = client.resources(HTTPRoute.class).inNamespace(namespace).withName(routeName);
        if (route.get() == null) throw new IllegalStateException("spec.strategy.canary.trafficRouting.gatewayAPI.httpRoute: no HTTPRoute "
                + routeName + " in namespace " + namespace);
        int port = port(s);
        int stableWeight = plan.weights().getOrDefault(stable, 0);
        int canaryWeight = canary.equals(stable) ? 0 : plan.weights().getOrDefault(canary, 0);
        Conflicts.retry(() -> route.edit(r -> {
            List<HTTPRouteRule> old = r.getSpec().getRules() == null ? List.of() : r.getSpec().getRules();
            List<HTTPRouteMatch> paths = old.isEmpty() ? null : old.getLast().getMatches();
            List<HTTPRouteRule> rules = new ArrayList<>();
            for (ProgressivePlan.HeaderRoute h : plan.routes()) {
                List<HTTPHeaderMatch> headers = h.match().stream().map(ClusterRouter::header).toList();
                HTTPRouteMatch m = new HTTPRouteMatch();
                m.setHeaders(headers);
                HTTPRouteRule rule = new HTTPRouteRule();
                rule.setMatches(List.of(m));
                rule.setBackendRefs(List.of(backend(name + CANARY, port, 1)));
                rules.add(rule);
            }
            HTTPRouteRule split = new HTTPRouteRule();
            split.setMatches(paths);
            split.setBackendRefs(List.of(backend(name + STABLE, port, stableWeight), backend(name + CANARY, port, canaryWeight)));
            rules.add(split);
            r.getSpec().setRules(rules);
            return r;
        }));
    }

    private static HTTPHeaderMatch header(CanaryStep.HeaderMatch m) {
        HTTPHeaderMatch h = new HTTPHeaderMatch();
        h.setName(m.headerName());
        if (m.exact() != null) {
            h.setType("Exact");
            h.setValue(m.exact());
        } else if (m.prefix() != null) {
            h.setType("RegularExpression");
            h.setValue(Pattern.quote(m.prefix()) + ".*");
        } else {
            h.setType("RegularExpression");
            h.setValue(m.regex());
        }
        return h;
    }

    private static HTTPBackendRef backend(String service, int port, int weight) {
        HTTPBackendRef b = new HTTPBackendRef();
        b.setName(service);
        b.setPort(port);
        b.setWeight(weight);
        return b;
    }
}
