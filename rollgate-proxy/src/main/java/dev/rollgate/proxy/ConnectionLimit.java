package dev.rollgate.proxy;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client connections a listener holds, counted one way on a service's own port and on the
 * front door: taken when a connection is accepted, given back when it closes (an HTTP/2 connection
 * is one, whatever its streams). Beyond {@code max} in all, or {@code perAddress} from one client
 * address (nginx's {@code limit_conn} per address), a new connection is closed at once.
 */
final class ConnectionLimit {

    private final int max;
    private final int perAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<InetAddress, Integer> byAddress = new ConcurrentHashMap<>();

    /** No limit per address beyond the total's. */
    ConnectionLimit(int max) {
        this(max, max);
    }

    ConnectionLimit(int max, int perAddress) {
        this.max = max;
        this.perAddress = perAddress;
    }

    /** Takes {@code ch} within the limits, and gives it back when it closes; else closes it and says false. */
    boolean admit(Channel ch) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            ch.close();
            return false;
        }
        InetAddress peer = perAddress < max && ch.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        if (peer != null && byAddress.merge(peer, 1, Integer::sum) > perAddress) {
            release(peer);
            ch.close();
            return false;
        }
        ch.closeFuture().addListener(f -> release(peer));
        return true;
    }

    private void release(InetAddress peer) {
        open.decrementAndGet();
        if (peer != null) byAddress.computeIfPresent(peer, (a, n) -> n == 1 ? null : n - 1);
    }

    /** Connections open now. */
    int open() {
        return open.get();
    }
}
