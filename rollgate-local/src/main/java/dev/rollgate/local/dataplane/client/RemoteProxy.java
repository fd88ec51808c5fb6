package dev.rollgate.local.dataplane.client;

import dev.rollgate.local.dataplane.DataPlaneProtocol.Drain;
import dev.rollgate.local.dataplane.DataPlaneProtocol.Drained;
import dev.rollgate.local.dataplane.DataPlaneProtocol.Forget;
import dev.rollgate.local.dataplane.DataPlaneProtocol.Masking;
import dev.rollgate.local.dataplane.DataPlaneProtocol.Port;
import dev.rollgate.local.dataplane.DataPlaneProtocol;
import dev.rollgate.local.dataplane.ProxyHandle;
import dev.rollgate.local.dataplane.client.DataPlaneClient;
import dev.rollgate.proxy.ProxyConfig;
import dev.rollgate.proxy.RoutingTable;
import dev.rollgate.proxy.ServiceLimits;
import dev.rollgate.proxy.TrafficMetrics;
import dev.rollgate.proxy.TrafficMode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A service served by the data plane process. It keeps what the daemon last set (port, table,
 * preview port, timeouts, masking), so a data plane that had to be restarted gets it all back.
 */
public final class RemoteProxy implements ProxyHandle {

    private final DataPlaneClient client;
    private final String service;
    private final String path;
    private final int requestedPort;
    private final TrafficMetrics metrics;
    private volatile InetSocketAddress address;
    private volatile RoutingTable table;
    private volatile int previewPort;
    private volatile ProxyConfig.Timeouts timeouts;
    private volatile Boolean masking;
    private volatile TrafficMode traffic;
    private volatile ServiceLimits limits;
    private boolean closed;

    RemoteProxy(DataPlaneClient client, String service, int port, ProxyConfig.Timeouts timeouts) {
        this.client = client;
        this.service = service;
        this.path = "/v1/services/" + service;
        this.requestedPort = port;
        this.timeouts = timeouts;
        this.metrics = new RemoteMetrics(client, path + "/metrics/");
    }

    String service() {
        return service;
    }

    /** Asks the data plane to serve the service (or keep serving it, as it is). */
    void bind() throws ProxyException {
        try {
            int bound = DataPlaneClient.port(client.call("PUT", path, DataPlaneClient.open(address == null ? requestedPort : address.getPort(), timeouts)));
            address = new InetSocketAddress(InetAddress.getLoopbackAddress(), bound);
            client.succeeded();
        } catch (IOException e) {
            throw new ProxyException(e instanceof DataPlaneClient.RefusedException ? e.getMessage() : "the data plane cannot be reached: " + e.getMessage());
        }
    }

    /** Everything the daemon set, again, to a data plane that was restarted. */
    public synchronized void replay() throws ProxyException {
        if (closed) return; // deleted while the data plane was restarted: it stays unserved
        bind();
        if (table != null) send("PUT", "/table", table);
        if (previewPort != 0) send("PUT", "/preview", new Port(previewPort));
        if (masking != null) send("PUT", "/masking", new Masking(masking));
        if (traffic != null) send("PUT", "/traffic", traffic);
        if (limits != null) send("PUT", "/limits", limits);
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public synchronized void update(RoutingTable t) {
        table = t;
        quietly("PUT", "/table", t);
    }

    @Override
    public synchronized String drift(RoutingTable live, boolean heal) {
        RoutingTable mine = table;
        if (mine == null || mine.equals(live)) return "";
        String what = "the data plane's routing table for " + service + " is not the daemon's (it serves "
                + (live == null ? "none" : live.endpoints().values().stream().mapToInt(List::size).sum() + " endpoint(s), weights "
                + live.weights()) + "; the daemon set " + mine.endpoints().values().stream().mapToInt(List::size).sum()
                + " endpoint(s), weights " + mine.weights() + ")";
        if (heal) quietly("PUT", "/table", mine);
        return what;
    }

    @Override
    public CompletableFuture<Integer> drain(String endpointId, Duration timeout) {
        String body = DataPlaneProtocol.write(new Drain(endpointId, timeout.toMillis()));
        return client.callAsync(path + "/drain", body, timeout.plusSeconds(10))
                .thenApply(answer -> DataPlaneProtocol.read(answer, Drained.class).cut())
                .exceptionally(e -> {
                    client.failed(new IOException("draining " + endpointId + ": " + e.getMessage()));
                    return 0;
                });
    }

    @Override
    public void forget(String endpointId) {
        quietly("POST", "/forget", new Forget(endpointId));
    }

    @Override
    public synchronized void previewPort(int port) throws ProxyException {
        try {
            send("PUT", "/preview", new Port(port));
            previewPort = port;
        } catch (ProxyException e) {
            previewPort = 0;
            throw e;
        }
    }

    @Override
    public synchronized void timeouts(ProxyConfig.Timeouts t) {
        timeouts = t;
        quietly("PUT", "/timeouts", t);
    }

    @Override
    public synchronized void masking(boolean on) {
        masking = on;
        quietly("PUT", "/masking", new Masking(on));
    }

    @Override
    public synchronized void traffic(TrafficMode mode) {
        traffic = mode;
        quietly("PUT", "/traffic", mode);
    }

    @Override
    public synchronized void limits(ServiceLimits l) {
        if (l.equals(limits)) return;
        limits = l;
        quietly("PUT", "/limits", l);
    }

    @Override
    public TrafficMetrics metrics() {
        return metrics;
    }

    /** Stops serving the service in the data plane (it was deleted, or the daemon is going down). */
    @Override
    public synchronized void close() {
        // After a replay that is under way (it holds this lock), never before: the DELETE is the last word.
        closed = true;
        client.forget(service, this);
        client.drop(service);
    }

    private void send(String method, String suffix, Object body) throws ProxyException {
        try {
            client.call(method, path + suffix, DataPlaneProtocol.write(body));
            client.succeeded();
        } catch (IOException e) {
            throw new ProxyException(e.getMessage());
        }
    }

    /** A change the data plane gets now if it can, and at its restart (by {@link #replay}) if it cannot. */
    private void quietly(String method, String suffix, Object body) {
        try {
            client.call(method, path + suffix, DataPlaneProtocol.write(body));
            client.succeeded();
        } catch (IOException e) {
            client.failed(e);
        }
    }
}
