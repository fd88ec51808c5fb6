package dev.rollgate.local.dataplane;

import dev.rollgate.local.dataplane.client.DataPlaneClient;
import dev.rollgate.local.dataplane.server.InProcessProxy;
import dev.rollgate.proxy.ProxyConfig;
import dev.rollgate.proxy.RoutingTable;
import dev.rollgate.proxy.ServiceLimits;
import dev.rollgate.proxy.TrafficMetrics;
import dev.rollgate.proxy.TrafficMode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One service's listeners and routing table, wherever they are served: in this process
 * ({@link InProcessProxy}, for {@code rollgate run}) or in the data plane process that keeps
 * serving while the daemon is down ({@link DataPlaneClient}).
 */
public interface ProxyHandle extends AutoCloseable {

    /** Where the service's main listener is bound. */
    InetSocketAddress address();

    /** Replaces the routing table; endpoints that left it are not drained here (see {@link #drain}). */
    void update(RoutingTable table);

    /** Takes the endpoint out of the table and completes with how many in-flight requests the timeout cut. */
    CompletableFuture<Integer> drain(String endpointId, Duration timeout);

    /** Forgets an endpoint that has been drained and whose replica is gone. */
    void forget(String endpointId);

    /** Serves the preview revision on {@code port} too (0: no preview listener). */
    void previewPort(int port) throws ProxyException;

    /** Timeouts for the connections opened from now on. */
    void timeouts(ProxyConfig.Timeouts timeouts);

    void masking(boolean on);

    /** Serve, pause or stop (maintenance). */
    void traffic(TrafficMode mode);

    /** Body limit, request buffering and error pages. */
    void limits(ServiceLimits limits);

    TrafficMetrics metrics();

    /**
     * How the routing table this daemon set differs from the one the proxy serves ("" when it does not), and with
     * {@code heal} the daemon's set again. A proxy in this process cannot differ.
     */
    default String drift(RoutingTable live, boolean heal) {
        return "";
    }

    /** Stops serving the service: its listeners are closed. */
    @Override
    void close();

    /** A listener that cannot be bound, or a data plane that cannot be reached: the words say which. */
    final class ProxyException extends Exception {
        public ProxyException(String message) {
            super(message);
        }
    }
}
