package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Idle sockets, clients that read nothing, and a frozen upstream each hold the proxy only as long as its timeout. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimeoutsTest {

    private TestUpstream upstream;
    private ProxyServer proxy;
    private int port;
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) s.close();
        if (proxy != null) proxy.close();
        if (upstream != null) upstream.close();
    }

    private void start(ProxyConfig config) throws Exception {
        upstream = new TestUpstream("a");
        proxy = new ProxyServer(config, 1);
        proxy.router().update(RoutingTable.single("v1", List.of(upstream.endpoint("v1"))));
        port = proxy.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), false).getPort();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        sockets.add(s);
        return s;
    }

    private static boolean closedByPeer(Socket s) {
        try {
            s.setSoTimeout(100);
            InputStream in = s.getInputStream();
            while (true) {
                if (in.read(new byte[64 * 1024]) < 0) return true;
            }
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void idleSocketsThatNeverSendARequestCannotHoldTheConnectionLimit() throws Exception {
        start(ProxyConfig.defaults().withLimits(8192, 16384, Duration.ofSeconds(10), Duration.ofSeconds(60), 8)
                .withTimeouts(new ProxyConfig.Timeouts(Duration.ofMillis(500), Duration.ofSeconds(60), Duration.ofSeconds(60))));
        List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < 8; i++) idle.add(connect()); // every connection the limit allows, not one byte sent
        // A normal client is served once the proxy dropped them, well before the 60 s idle timeout.
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> RawHttp.exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 200"));
        for (Socket s : idle) assertThat(closedByPeer(s)).as("an idle socket the proxy closed").isTrue();
    }

    @Test
    void aClientThatReadsNothingIsDroppedAfterTheSendTimeout() throws Exception {
        start(ProxyConfig.defaults().withTimeouts(new ProxyConfig.Timeouts(Duration.ofSeconds(10), Duration.ofMillis(500), Duration.ofSeconds(60))));
        Socket s = connect();
        s.getOutputStream().write("GET /bytes?n=500000000 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        // 500 MB cannot fit in the socket buffers: once they are full the proxy waits 500 ms for the reader, then
        // drops the connection and the upstream request with it (nothing read here, ever).
        await().atMost(Duration.ofSeconds(30)).until(() -> proxy.connections() == 0);
        assertThat(proxy.metrics().forEndpoint("a", 60).inFlight()).as("the upstream request was let go").isZero();
        assertThat(upstream.hits.get()).isEqualTo(1);
    }

    @Test
    void aFrozenUpstreamGets504AfterTheUpstreamTimeoutAndIsCharged() throws Exception {
        start(ProxyConfig.defaults().withTimeouts(new ProxyConfig.Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofMillis(500))));
        long begin = System.nanoTime();
        String answer = RawHttp.exchange(port, "GET /slow?ms=20000 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 504").contains("no response within 500 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(10));
        assertThat(proxy.metrics().total("v1", 5)).as("the frozen revision is charged with the 504").isEqualTo(1);
    }

    @Test
    void aPooledUpstreamConnectionGivesItsRequestTheWholeTimeout() throws Exception {
        start(ProxyConfig.defaults().withTimeouts(new ProxyConfig.Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofMillis(800))));
        assertThat(RawHttp.exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
        // The upstream connection rests in the pool for most of its reader-idle clock (the time passing is the scenario),
        // then carries a request that takes 500 ms: the clock fires mid-request, and the request still has its 800 ms.
        Thread.sleep(600);
        assertThat(RawHttp.exchange(port, "GET /slow?ms=500 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
        assertThat(upstream.hits.get()).isEqualTo(2);
    }
}
