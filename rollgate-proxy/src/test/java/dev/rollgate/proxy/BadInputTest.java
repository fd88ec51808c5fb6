package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad clients get their status code, never crash the proxy, and the next client is served. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BadInputTest {

    TestUpstream upstream;
    ProxyServer proxy;
    int port;

    @BeforeEach
    void start() throws Exception {
        upstream = new TestUpstream("a");
        proxy = new ProxyServer(ProxyConfig.defaults().withLimits(1024, 2048, Duration.ofMillis(500), Duration.ofSeconds(5), 8), 2);
        proxy.router().update(RoutingTable.single("v1", List.of(upstream.endpoint("v1"))));
        port = proxy.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), false).getPort();
    }

    @AfterEach
    void stop() {
        proxy.close();
        upstream.close();
    }

    /** Sends raw bytes and returns everything the proxy answers until it closes. */
    String raw(String request) throws IOException {
        return RawHttp.exchange(port, request);
    }

    void stillServes() throws IOException {
        assertThat(raw("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200 OK").endsWith("a");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            request line too long        | LONG_URI                                                                               | HTTP/1.1 414
            headers too large            | BIG_HEADERS                                                                            | HTTP/1.1 431
            not HTTP at all              | 'hello there, proxy\\r\\n\\r\\n'                                                    | HTTP/1.1 400
            Content-Length and chunked   | 'POST /echo HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 4\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n' | HTTP/1.1 400
            two different lengths        | 'POST /echo HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 4\\r\\nContent-Length: 5\\r\\n\\r\\nabcd'             | HTTP/1.1 400
            bad header name              | 'GET / HTTP/1.1\\r\\nHost: x\\r\\nBad Header: y\\r\\n\\r\\n'                                        | HTTP/1.1 400
            two Host headers             | 'GET / HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\n\\r\\n'                                              | HTTP/1.1 400
            HTTP/1.1 without Host        | 'GET / HTTP/1.1\\r\\nX-A: b\\r\\n\\r\\n'                                                             | HTTP/1.1 400
            HTTP/9.9                     | 'GET / HTTP/9.9\\r\\nHost: x\\r\\n\\r\\n'                                                            | HTTP/1.1 505
            absolute URI, other Host     | 'GET http://evil.example/ HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n'                                        | HTTP/1.1 400
            bare LF in the head          | 'GET / HTTP/1.1\\nHost: x\\n\\n'                                                                         | HTTP/1.1 400
            """)
    void badRequestsGetTheirStatusAndTheConnectionCloses(String name, String request, String expected) throws IOException {
        String text = switch (request) {
            case "LONG_URI" -> "GET /" + "a".repeat(2000) + " HTTP/1.1\r\nHost: x\r\n\r\n";
            case "BIG_HEADERS" -> "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(4000) + "\r\n\r\n";
            default -> request.replace("\\r", "\r").replace("\\n", "\n");
        };
        assertThat(raw(text)).startsWith(expected);
        assertThat(upstream.hits.get()).as("nothing bad reaches the upstream").isZero();
        stillServes();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            chunk size overflows 64 bits | 'ffffffffffffffff1\\r\\nabcd\\r\\n0\\r\\n\\r\\n'
            negative chunk size          | '-4\\r\\nabcd\\r\\n0\\r\\n\\r\\n'
            hex prefix in a chunk size   | '0x4\\r\\nabcd\\r\\n0\\r\\n\\r\\n'
            chunk data without its CRLF  | '4\\r\\nabcdXY0\\r\\n\\r\\n'
            bare LF after a chunk size   | '4\\nabcd\\n0\\n\\n'
            """)
    void malformedChunkedBodiesGet400AndNeverReachTheUpstreamWhole(String name, String body) throws IOException {
        String head = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
        assertThat(raw(head + body.replace("\\r", "\r").replace("\\n", "\n"))).startsWith("HTTP/1.1 400");
        assertThat(upstream.bodies).as("no truncated body was completed at the upstream").isEmpty();
        stillServes();
    }

    @Test
    void slowlorisGets408AfterTheHeaderTimeout() throws IOException {
        long begin = System.nanoTime();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 408");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isBetween(Duration.ofMillis(400), Duration.ofSeconds(3));
        stillServes();
    }

    @Test
    void connectionsAboveTheLimitAreClosedAtOnce() throws IOException {
        Socket[] held = new Socket[8];
        try {
            for (int i = 0; i < held.length; i++) held[i] = new Socket("127.0.0.1", port);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> proxy.connections() == 8);
            try (Socket extra = new Socket("127.0.0.1", port)) {
                extra.setSoTimeout(5000);
                InputStream in = extra.getInputStream();
                assertThat(in.read()).as("closed without an answer").isEqualTo(-1);
            }
        } finally {
            for (Socket s : held) if (s != null) s.close();
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> proxy.connections() == 0);
        stillServes();
    }

    @Test
    void chunkedBodiesStreamAndExpectContinueIsAnswered() throws IOException {
        String chunked = raw("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
        assertThat(chunked).startsWith("HTTP/1.1 200 OK").endsWith("hello world");
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            byte[] buf = new byte[256];
            int n = s.getInputStream().read(buf);
            assertThat(new String(buf, 0, n, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 100 Continue");
            out.write("ping".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String rest = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(rest).contains("HTTP/1.1 200 OK").endsWith("ping");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        String answers = raw("GET /status?code=201 HTTP/1.1\r\nHost: x\r\n\r\nGET /status?code=202 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /status?code=203 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(answers.indexOf("HTTP/1.1 201")).isLessThan(answers.indexOf("HTTP/1.1 202"));
        assertThat(answers.indexOf("HTTP/1.1 202")).isLessThan(answers.indexOf("HTTP/1.1 203"));
    }
}
