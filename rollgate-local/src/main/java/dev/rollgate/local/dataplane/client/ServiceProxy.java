package dev.rollgate.local.dataplane.client;

import dev.rollgate.local.dataplane.ProxyHandle;
import dev.rollgate.local.replica.Drain;
import dev.rollgate.local.replica.ReplicaEvent;
import dev.rollgate.local.replica.ReplicaListener;
import dev.rollgate.local.replica.ReplicaStatus;
import dev.rollgate.proxy.Endpoint;
import dev.rollgate.proxy.MatchRoute;
import dev.rollgate.proxy.MirrorRoute;
import dev.rollgate.proxy.ProxyConfig;
import dev.rollgate.proxy.RoutingTable;
import dev.rollgate.proxy.ServiceLimits;
import dev.rollgate.proxy.TrafficMetrics;
import dev.rollgate.proxy.TrafficMode;
import dev.rollgate.spec.ServiceSpec;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A service's proxy fed by its replicas: every ready replica is an endpoint, anything else is
 * not, and a replica being stopped is drained through the proxy before it gets SIGTERM. Because
 * Rollgate owns both the routing table and the process, removal from traffic happens first, by
 * construction: the endpoint race that Kubernetes users cover with a preStop sleep cannot happen.
 * Where the listeners are (this process, or the data plane process) is the {@link ProxyHandle}'s business.
 */
public final class ServiceProxy implements ReplicaListener, Drain, AutoCloseable {

    private final ProxyHandle proxy;
    private final String revision;
    private final Map<String, ReplicaStatus> replicas = new ConcurrentHashMap<>();
    private final Map<String, String> revisions = new ConcurrentHashMap<>();
    private volatile Traffic traffic;
    private Boolean masking;
    private int previewPort;
    private volatile boolean detached;

    /**
     * Explicit routing for a canary or blue-green rollout: main-port weights per revision (percent),
     * the preview revision, header routes, and the stable revision that masked errors are retried on.
     */
    public record Traffic(Map<String, Integer> weights, String preview, String stable, List<MatchRoute> routes, MirrorRoute mirror) {

        public Traffic(Map<String, Integer> weights, String preview, String stable, List<MatchRoute> routes) {
            this(weights, preview, stable, routes, null);
        }
    }

    public ServiceProxy(ProxyHandle proxy, String revision) {
        this.proxy = proxy;
        this.revision = revision;
    }

    public InetSocketAddress address() {
        return proxy.address();
    }

    public TrafficMetrics metrics() {
        return proxy.metrics();
    }

    static String endpointId(ReplicaStatus s) {
        return s.replica() + "@" + s.port();
    }

    /** Routes by {@code t} from now on; null goes back to one share per ready replica (rolling updates). */
    public synchronized void route(Traffic t) {
        if (Objects.equals(t, traffic)) return;
        traffic = t;
        publish();
    }

    /** Serves the preview revision on {@code port} too (0: no preview port). */
    public synchronized void previewPort(int port) throws ProxyHandle.ProxyException {
        if (port == previewPort) return;
        previewPort = 0;
        proxy.previewPort(port);
        previewPort = port;
    }

    /** The service's first-request, send and upstream timeouts, for connections opened from now on. */
    public void timeouts(ServiceSpec s) {
        proxy.timeouts(timeoutsOf(s));
    }

    /** The proxy's timeouts as a service's spec sets them. */
    public static ProxyConfig.Timeouts timeoutsOf(ServiceSpec s) {
        return new ProxyConfig.Timeouts(s.firstRequestTimeout(), s.sendTimeout(), s.upstreamTimeout());
    }

    /** Body limit, request buffering and error pages (sent only when they change). */
    public void limits(ServiceLimits limits) {
        proxy.limits(limits);
    }

    /** Serve, pause or stop. */
    public void traffic(TrafficMode mode) {
        proxy.traffic(mode);
    }

    public synchronized void masking(boolean on) {
        if (masking != null && masking == on) return;
        masking = on;
        proxy.masking(on);
    }

    /** Which revision a replica belongs to (its metrics are kept per revision); unassigned replicas get the default. */
    public void assign(String replica, String replicaRevision) {
        revisions.put(replica, replicaRevision);
    }

    /** Drops a replica that is gone for good. */
    public synchronized void forget(String replica) {
        revisions.remove(replica);
        ReplicaStatus gone = replicas.remove(replica);
        if (gone != null) {
            publish();
            if (gone.port() > 0) proxy.forget(endpointId(gone));
        }
    }

    @Override
    public synchronized void onStatus(ReplicaStatus status) {
        replicas.put(status.replica(), status);
        publish();
    }

    /**
     * Every ready replica is an endpoint of its revision. Under explicit {@link Traffic} the
     * revisions get its weights; otherwise each revision's weight is its number of ready replicas,
     * so during a rolling update every ready replica gets an equal share, whatever its revision,
     * as behind a Kubernetes Service.
     */
    private void publish() {
        if (detached) return;
        Map<String, List<Endpoint>> byRevision = new TreeMap<>();
        for (ReplicaStatus s : replicas.values()) {
            if (!s.ready() || s.port() <= 0) continue;
            String rev = revisions.getOrDefault(s.replica(), revision);
            byRevision.computeIfAbsent(rev, r -> new ArrayList<>()).add(new Endpoint(endpointId(s), rev, "127.0.0.1", s.port()));
        }
        Map<String, Integer> weights = new LinkedHashMap<>();
        byRevision.forEach((rev, list) -> {
            list.sort(Comparator.comparing(Endpoint::id));
            weights.put(rev, list.size());
        });
        Traffic t = traffic;
        if (t != null) {
            proxy.update(new RoutingTable(byRevision, t.weights(), t.preview(), t.stable(), t.routes(), null, t.mirror()));
            return;
        }
        if (byRevision.isEmpty()) {
            proxy.update(RoutingTable.single(revision, List.of()));
            return;
        }
        proxy.update(new RoutingTable(byRevision, weights, null, null, List.of(), null));
    }

    @Override
    public void onEvent(ReplicaEvent event) {}

    @Override
    public CompletableFuture<Integer> drain(String replica, Duration timeout) {
        ReplicaStatus s = replicas.get(replica);
        if (s == null || s.port() == 0) return CompletableFuture.completedFuture(0);
        return proxy.drain(endpointId(s), timeout);
    }

    /** How the data plane's table differs from the one published here ("" when it does not); with {@code heal}, published again. */
    public String drift(RoutingTable live, boolean heal) {
        return detached ? "" : proxy.drift(live, heal);
    }

    /** From now on this process changes nothing in the proxy: another daemon will take it over as it is. */
    public void detach() {
        detached = true;
    }

    @Override
    public void close() {
        if (detached) return;
        proxy.close();
    }
}
