package dev.rollgate.proxy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where new requests go, as one immutable value that the {@link Router} swaps atomically:
 * the ready endpoints of each revision, the weights between revisions (canary), the preview
 * revision (blue-green), match routes, and which revision is stable (for error masking).
 *
 * @param endpoints  ready endpoints by revision; only these receive new requests
 * @param weights    relative weight of each revision on the main listener; a revision missing here gets 0
 * @param preview    the revision the preview listener serves, or null
 * @param stable     the revision masked canary errors are retried on, or null
 * @param routes     header and cookie matches, tried in order before weights
 * @param stickyCookie when not null, the cookie that keeps a client on the revision it first got
 * @param mirror     copies of matching requests to a revision, judged against the client's answers, or null
 */
public record RoutingTable(Map<String, List<Endpoint>> endpoints, Map<String, Integer> weights, String preview,
                           String stable, List<MatchRoute> routes, String stickyCookie, MirrorRoute mirror) {

    public RoutingTable(Map<String, List<Endpoint>> endpoints, Map<String, Integer> weights, String preview, String stable,
                        List<MatchRoute> routes, String stickyCookie) {
        this(endpoints, weights, preview, stable, routes, stickyCookie, null);
    }

    public RoutingTable {
        Map<String, List<Endpoint>> copy = new LinkedHashMap<>();
        endpoints.forEach((revision, list) -> copy.put(revision, List.copyOf(list)));
        endpoints = Collections.unmodifiableMap(copy);
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        routes = List.copyOf(routes);
        for (int w : weights.values()) {
            if (w < 0) throw new IllegalArgumentException("weights are not negative: " + weights);
        }
    }

    public static final RoutingTable EMPTY = new RoutingTable(Map.of(), Map.of(), null, null, List.of(), null);

    /** One revision with all of the weight: the plain, non-canary case. */
    public static RoutingTable single(String revision, List<Endpoint> ready) {
        return new RoutingTable(Map.of(revision, ready), Map.of(revision, 1), null, revision, List.of(), null);
    }

    public List<Endpoint> ready(String revision) {
        return endpoints.getOrDefault(revision, List.of());
    }

    public boolean contains(Endpoint e) {
        return ready(e.revision()).contains(e);
    }

    public RoutingTable withEndpoints(String revision, List<Endpoint> ready) {
        Map<String, List<Endpoint>> m = new LinkedHashMap<>(endpoints);
        m.put(revision, ready);
        return new RoutingTable(m, weights, preview, stable, routes, stickyCookie, mirror);
    }

    /** The table without one endpoint, whichever revision it is in. */
    public RoutingTable without(Endpoint e) {
        List<Endpoint> rest = new ArrayList<>(ready(e.revision()));
        rest.remove(e);
        return withEndpoints(e.revision(), rest);
    }

    public RoutingTable withWeights(Map<String, Integer> w) {
        return new RoutingTable(endpoints, w, preview, stable, routes, stickyCookie, mirror);
    }

    public RoutingTable withPreview(String revision) {
        return new RoutingTable(endpoints, weights, revision, stable, routes, stickyCookie, mirror);
    }

    public RoutingTable withStable(String revision) {
        return new RoutingTable(endpoints, weights, preview, revision, routes, stickyCookie, mirror);
    }

    public RoutingTable withRoutes(List<MatchRoute> r) {
        return new RoutingTable(endpoints, weights, preview, stable, r, stickyCookie, mirror);
    }

    public RoutingTable withStickyCookie(String cookie) {
        return new RoutingTable(endpoints, weights, preview, stable, routes, cookie, mirror);
    }

    public RoutingTable withMirror(MirrorRoute m) {
        return new RoutingTable(endpoints, weights, preview, stable, routes, stickyCookie, m);
    }
}
