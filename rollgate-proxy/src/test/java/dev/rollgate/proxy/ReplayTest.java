package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A request the upstream connection fails under after it was sent, before any byte of a response:
 * replayed when that is safe (RFC 9110's idempotent methods without a body), within the retry
 * budget, on the other endpoints and, after a short pause, on ones that failed before; never when
 * it had a body.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReplayTest {

    private ProxyServer proxy;
    private ServerSocket flaky;
    private final AtomicInteger connections = new AtomicInteger();

    @AfterEach
    void stop() throws IOException {
        if (proxy != null) proxy.close();
        if (flaky != null) flaky.close();
    }

    /** An upstream that resets its first {@code resets} connections once it has read the request head, and answers the rest. */
    private int flakyUpstream(int resets) throws IOException {
        flaky = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!flaky.isClosed()) {
                try {
                    Socket s = flaky.accept();
                    int n = connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> serve(s, n <= resets));
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return flaky.getLocalPort();
    }

    private static void serve(Socket s, boolean reset) {
        try (s) {
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) return;
                head.append((char) b);
            }
            if (reset) {
                s.setSoLinger(true, 0); // RST, as a server dying with the request read
                return;
            }
            OutputStream out = s.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            // the proxy went away
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private HttpResponse<String> send(int upstream, HttpRequest.Builder request) throws Exception {
        proxy = new ProxyServer(ProxyConfig.defaults(), 1);
        proxy.router().update(RoutingTable.single("v1", List.of(new Endpoint("dead", "v1", "127.0.0.1", closedPort()),
                new Endpoint("flaky", "v1", "127.0.0.1", upstream))));
        int port = proxy.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), false).getPort();
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request.uri(URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aGetWhoseEveryUpstreamFailedOnceIsTriedAgainAfterAPause() throws Exception {
        // One endpoint refuses; the other resets the request it read (a full accept queue, a restart):
        // both failed it once, and the second try on the one that reset it succeeds.
        HttpResponse<String> r = send(flakyUpstream(1), HttpRequest.newBuilder().GET());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok");
        assertThat(connections).as("the reset request was sent again").hasValue(2);
        assertThat(proxy.metrics().retries("v1")).as("each failure counted as a retry").isGreaterThanOrEqualTo(2);
    }

    @Test
    void aPostWithABodyIsNeverSentTwiceAndTheErrorNamesNoAddress() throws Exception {
        HttpResponse<String> r = send(flakyUpstream(1), HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.ofString("pay 10 euros")));
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(connections).as("the POST reached the upstream once").hasValue(1);
        assertThat(r.body()).contains("cannot be sent again safely").doesNotContain("127.0.0.1").doesNotContain("flaky");
    }

    @Test
    void anUpstreamThatResetsEveryRequestEndsIn502AfterBoundedAttempts() throws Exception {
        HttpResponse<String> r = send(flakyUpstream(Integer.MAX_VALUE), HttpRequest.newBuilder().GET());
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(connections.get()).as("attempts are bounded").isBetween(2, 8);
        assertThat(r.body()).doesNotContain("127.0.0.1");
    }
}
