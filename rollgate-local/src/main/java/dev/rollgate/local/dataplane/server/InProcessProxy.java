package dev.rollgate.local.dataplane.server;

import dev.rollgate.local.dataplane.ProxyHandle;
import dev.rollgate.proxy.DrainResult;
import dev.rollgate.proxy.ProxyConfig;
import dev.rollgate.proxy.ProxyServer;
import dev.rollgate.proxy.RoutingTable;
import dev.rollgate.proxy.ServiceLimits;
import dev.rollgate.proxy.TrafficMetrics;
import dev.rollgate.proxy.TrafficMode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A service's proxy in this process: the data plane process runs one per service, and so does {@code rollgate run}. */
public final class InProcessProxy implements ProxyHandle {

    private final ProxyServer proxy;
    private final InetSocketAddress address;
    private InetSocketAddress previewAddress;
    private boolean closed;

    /** Listens on loopback {@code port} (0: any free port). */
    public InProcessProxy(int port, ProxyConfig config) throws ProxyException {
        this.proxy = new ProxyServer(config, Math.max(1, Runtime.getRuntime().availableProcessors()));
        try {
            this.address = proxy.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), false);
        } catch (Exception e) {
            proxy.close();
            throw new ProxyException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
        }
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    public RoutingTable table() {
        return proxy.router().table();
    }

    public int previewPort() {
        synchronized (this) {
            return previewAddress == null ? 0 : previewAddress.getPort();
        }
    }

    @Override
    public void update(RoutingTable table) {
        proxy.router().update(table);
    }

    @Override
    public CompletableFuture<Integer> drain(String endpointId, Duration timeout) {
        return proxy.router().drain(endpointId, timeout).thenApply(DrainResult::cut);
    }

    @Override
    public void forget(String endpointId) {
        proxy.router().forget(endpointId);
    }

    @Override
    public synchronized void previewPort(int port) throws ProxyException {
        // A call that raced the service's deletion must not open a listener nobody will close.
        if (closed) throw new ProxyException("the service is no longer served");
        if (previewAddress != null && previewAddress.getPort() == port) return;
        if (previewAddress != null) proxy.unlisten(previewAddress);
        previewAddress = null;
        if (port == 0) return;
        try {
            previewAddress = proxy.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), true);
        } catch (Exception e) {
            throw new ProxyException("cannot listen on 127.0.0.1:" + port + " (the preview port): " + e.getMessage());
        }
    }

    @Override
    public void timeouts(ProxyConfig.Timeouts timeouts) {
        proxy.timeouts(timeouts);
    }

    public ProxyConfig.Timeouts timeouts() {
        return proxy.config().timeouts();
    }

    @Override
    public void masking(boolean on) {
        proxy.setMasking(on);
    }

    public boolean masking() {
        return proxy.masking();
    }

    @Override
    public void traffic(TrafficMode mode) {
        proxy.traffic(mode);
    }

    @Override
    public void limits(ServiceLimits limits) {
        proxy.limits(limits);
    }

    /** The proxy itself, for the front door that routes to it. */
    public ProxyServer server() {
        return proxy;
    }

    @Override
    public TrafficMetrics metrics() {
        return proxy.metrics();
    }

    @Override
    public synchronized void close() {
        closed = true;
        proxy.close();
    }
}
