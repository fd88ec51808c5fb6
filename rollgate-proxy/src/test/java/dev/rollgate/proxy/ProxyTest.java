package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The proxy end to end: real upstream servers and a real client on loopback. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyTest {

    final List<AutoCloseable> closeMe = new ArrayList<>();
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    ProxyServer proxy;
    int port;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeMe.reversed()) c.close();
    }

    TestUpstream upstream(String name) throws Exception {
        TestUpstream u = new TestUpstream(name);
        closeMe.add(u);
        return u;
    }

    void startProxy(ProxyConfig config, RoutingTable table) throws Exception {
        proxy = new ProxyServer(config, 2);
        closeMe.add(proxy);
        proxy.router().update(table);
        port = proxy.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), false).getPort();
    }

    HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> getAsync(String path) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void forwardsWithProxyHeadersAndWithoutHopByHopHeaders() throws Exception {
        TestUpstream a = upstream("a");
        startProxy(ProxyConfig.defaults(), RoutingTable.single("v1", List.of(a.endpoint("v1"))));
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/headers"))
                .header("X-Forwarded-For", "10.0.0.9").header("X-Secret", "s").header("Keep-Alive", "timeout=5")
                .header("Proxy-Authorization", "Basic x").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("x-forwarded-for: 10.0.0.9, 127.0.0.1", "x-forwarded-proto: http", "x-forwarded-host: 127.0.0.1:" + port)
                .containsPattern("x-request-id: [0-9a-f]{32}")
                .doesNotContain("keep-alive:").doesNotContain("proxy-authorization");
        HttpResponse<String> withId = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/headers"))
                .header("X-Request-Id", "abc-123").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(withId.body()).contains("x-request-id: abc-123");
    }

    @Test
    void aPauseGivesBackTheSlotsOfClientsThatLeftAndAnswersWhoWaitedTooLong503() throws Exception {
        TestUpstream a = upstream("a");
        startProxy(ProxyConfig.defaults(), RoutingTable.single("v1", List.of(a.endpoint("v1"))));
        proxy.traffic(TrafficMode.pause(2, 1));
        List<Socket> leaving = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            leaving.add(s);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.held() == 2);
        for (Socket s : leaving) s.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.held() == 0);
        // The slots are free again: a new request is held, not refused, and gets 503 when the pause outlasts its limit.
        CompletableFuture<HttpResponse<String>> waiting = getAsync("/");
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.held() == 1 || waiting.isDone());
        HttpResponse<String> r = waiting.get(20, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("retry-after")).hasValue("1");
        assertThat(r.body()).contains("the service stayed paused longer than 1 s");
        assertThat(proxy.held()).isZero();
        assertThat(a.hits.get()).as("nothing reached the upstream").isZero();
    }

    @Test
    void underMemoryPressureAClientThatReadsNothingIsCutAndNewRequestsGet503() throws Exception {
        TestUpstream a = upstream("a");
        startProxy(ProxyConfig.defaults(), RoutingTable.single("v1", List.of(a.endpoint("v1"))));
        java.util.concurrent.atomic.AtomicBoolean high = new java.util.concurrent.atomic.AtomicBoolean();
        proxy.pressure(high::get);
        try (Socket reader = new Socket()) {
            reader.setReceiveBufferSize(4096);
            reader.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            reader.getOutputStream().write("GET /bytes?n=104857600 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            await().atMost(Duration.ofSeconds(20)).until(() -> proxy.stalledCount() == 1);
            assertThat(get("/").statusCode()).as("no pressure yet: served").isEqualTo(200);
            high.set(true);
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.stalledCount() == 0);
            HttpResponse<String> refused = get("/");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
            assertThat(refused.body()).contains("the proxy is short of memory");
            // The stalled client was cut: what it reads now ends (after what the socket buffers already held).
            reader.setSoTimeout(20_000);
            assertThat(drained(reader.getInputStream())).isLessThan(104857600L);
        }
        high.set(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/").statusCode() == 200);
    }

    /** Reads until the connection ends, by a close or a reset; the count of bytes read. */
    private static long drained(java.io.InputStream in) throws java.io.IOException {
        long n = 0;
        byte[] buf = new byte[64 * 1024];
        try {
            for (int r; (r = in.read(buf)) >= 0; ) n += r;
        } catch (java.net.SocketException reset) {
            // the proxy closed with unread bytes in its buffers: a reset is the end too
        }
        return n;
    }

    @Test
    void whenTheOnlyReadyReplicaDiesUnderAReplayableRequestItWaitsForTheNextReadyOne() throws Exception {
        TestUpstream dying = upstream("dying"), next = upstream("next");
        startProxy(ProxyConfig.defaults().withHold(Duration.ofSeconds(30)), RoutingTable.single("v1", List.of(dying.endpoint("v1"))));
        CompletableFuture<HttpResponse<String>> r = getAsync("/hold");
        await().atMost(Duration.ofSeconds(10)).until(() -> dying.hits.get() == 1);
        dying.close(); // the replica dies with the request in it, before any answer
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.metrics().retries("v1") == 1 || r.isDone());
        // Its replacement becomes ready: the table names it, and the held request goes there.
        proxy.router().update(RoutingTable.single("v1", List.of(next.endpoint("v1"))));
        next.release.countDown();
        HttpResponse<String> answer = r.get(20, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("next");
    }

    @Test
    void weightsTenNinetyGiveTenPercentOverTenThousandRequests() throws Exception {
        TestUpstream stable = upstream("stable"), canary = upstream("canary");
        startProxy(ProxyConfig.defaults(), new RoutingTable(
                Map.of("v1", List.of(stable.endpoint("v1")), "v2", List.of(canary.endpoint("v2"))),
                Map.of("v1", 90, "v2", 10), null, "v1", List.of(), null));
        AtomicInteger failures = new AtomicInteger();
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (int t = 0; t < 8; t++) {
                pool.submit(() -> {
                    for (int i = 0; i < 1250; i++) {
                        try {
                            if (get("/").statusCode() != 200) failures.incrementAndGet();
                        } catch (Exception e) {
                            failures.incrementAndGet();
                        }
                    }
                });
            }
        }
        assertThat(failures).hasValue(0);
        assertThat(stable.hits.get() + canary.hits.get()).isEqualTo(10_000);
        assertThat(canary.hits.get()).isBetween(900, 1100);
        assertThat(proxy.metrics().total("v2", 2)).isEqualTo(canary.hits.get());
    }

    @Test
    void drainLetsTheSlowRequestFinishWhileNewRequestsGoElsewhere() throws Exception {
        TestUpstream a = upstream("a"), b = upstream("b");
        startProxy(ProxyConfig.defaults(), RoutingTable.single("v1", List.of(a.endpoint("v1"))));
        CompletableFuture<HttpResponse<String>> slow = getAsync("/hold");
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.router().inFlight("a") == 1);
        proxy.router().update(RoutingTable.single("v1", List.of(a.endpoint("v1"), b.endpoint("v1"))));

        CompletableFuture<DrainResult> drained = proxy.router().drain("a", Duration.ofSeconds(60));
        for (int i = 0; i < 20; i++) assertThat(get("/").body()).isEqualTo("b");
        assertThat(drained).isNotDone();
        a.release.countDown();

        assertThat(slow.get(5, TimeUnit.SECONDS).body()).isEqualTo("a");
        DrainResult result = drained.get(5, TimeUnit.SECONDS);
        assertThat(result.cut()).isZero();
        assertThat(a.hits.get()).isEqualTo(1);
    }

    @Test
    void aDrainTimeoutCutsWhatIsLeftAndSaysHowMany() throws Exception {
        TestUpstream a = upstream("a");
        startProxy(ProxyConfig.defaults(), RoutingTable.single("v1", List.of(a.endpoint("v1"))));
        CompletableFuture<HttpResponse<String>> stuck = getAsync("/slow?ms=20000");
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.router().inFlight("a") == 1);
        DrainResult result = proxy.router().drain("a", Duration.ofMillis(300)).get(5, TimeUnit.SECONDS);
        assertThat(result.cut()).isEqualTo(1);
        assertThat(stuck.get(10, TimeUnit.SECONDS).statusCode()).as("nothing else is ready: the client gets an error, not a hang")
                .isIn(502, 503);
    }

    @Test
    void noReadyEndpointHoldsTheRequestThen503WithRetryAfter() throws Exception {
        TestUpstream a = upstream("a");
        startProxy(ProxyConfig.defaults().withHold(Duration.ofMillis(400)), RoutingTable.single("v1", List.of()));
        long begin = System.nanoTime();
        HttpResponse<String> r = get("/");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("retry-after")).contains("1");
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isGreaterThanOrEqualTo(Duration.ofMillis(350));

        // A longer hold: an endpoint that becomes ready in time serves the held request.
        startProxy(ProxyConfig.defaults().withHold(Duration.ofSeconds(20)), RoutingTable.single("v1", List.of()));
        CompletableFuture<HttpResponse<String>> held = getAsync("/");
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.router().waiting() == 1);
        assertThat(held).isNotDone();
        proxy.router().update(RoutingTable.single("v1", List.of(a.endpoint("v1"))));
        HttpResponse<String> served = held.get(5, TimeUnit.SECONDS);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).isEqualTo("a");
    }

    @Test
    void aRefusedConnectionIsRetriedOnAnotherEndpoint() throws Exception {
        TestUpstream a = upstream("a");
        int closed;
        try (var s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Endpoint dead = new Endpoint("dead", "v1", "127.0.0.1", closed);
        startProxy(ProxyConfig.defaults(), RoutingTable.single("v1", List.of(dead, a.endpoint("v1"))));
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/echo"))
                    .POST(HttpRequest.BodyPublishers.ofString("payload-" + i)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("payload-" + i); // even POST: it never reached an upstream
        }
        assertThat(proxy.metrics().retries("v1")).isGreaterThanOrEqualTo(5);
        assertThat(proxy.metrics().socketErrors("v1")).isZero();
    }

    static RoutingTable canary(TestUpstream stable, TestUpstream canary, int canaryWeight) {
        return new RoutingTable(Map.of("v1", List.of(stable.endpoint("v1")), "v2", List.of(canary.endpoint("v2"))),
                Map.of("v1", 100 - canaryWeight, "v2", canaryWeight), null, "v1", List.of(), null);
    }

    @Test
    void canaryErrorsAreMaskedOnStableWhenMaskingIsOnAndCountedEitherWay() throws Exception {
        TestUpstream stable = upstream("stable"), canary = upstream("canary");
        canary.failWith = 503;
        startProxy(ProxyConfig.defaults().withMasking(true), canary(stable, canary, 10));
        Map<Integer, AtomicInteger> seen = new ConcurrentHashMap<>();
        for (int i = 0; i < 100; i++) seen.computeIfAbsent(get("/").statusCode(), k -> new AtomicInteger()).incrementAndGet();
        assertThat(seen.keySet()).containsExactly(200);
        assertThat(canary.hits.get()).isEqualTo(10);
        assertThat(proxy.metrics().total("v2", 5)).as("the canary is charged with its errors").isEqualTo(10);
        assertThat(proxy.metrics().retries("v2")).isEqualTo(10);
        assertThat(stable.hits.get()).isEqualTo(100);

        startProxy(ProxyConfig.defaults(), canary(stable, canary, 10)); // masking off
        int errors = 0;
        for (int i = 0; i < 100; i++) if (get("/").statusCode() == 503) errors++;
        assertThat(errors).isEqualTo(10);
        assertThat(proxy.metrics().total("v2", 5)).isEqualTo(10);
        assertThat(proxy.metrics().retries("v2")).isZero();
    }

    @Test
    void maskingStaysWithinItsRetryBudget() throws Exception {
        TestUpstream stable = upstream("stable"), canary = upstream("canary");
        canary.failWith = 500;
        startProxy(ProxyConfig.defaults().withMasking(true), canary(stable, canary, 50));
        int errors = 0;
        for (int i = 0; i < 200; i++) if (get("/").statusCode() == 500) errors++;
        long retries = proxy.metrics().retries("v2");
        assertThat(retries).as("at most 10 + 20 %% of requests").isLessThanOrEqualTo(10 + 200 / 5).isGreaterThan(30);
        assertThat(errors).isEqualTo(100 - retries);
    }

    @Test
    void headerAndCookieRoutesStickyCookiesAndThePreviewListener() throws Exception {
        TestUpstream blue = upstream("blue"), green = upstream("green");
        RoutingTable table = new RoutingTable(Map.of("blue", List.of(blue.endpoint("blue")), "green", List.of(green.endpoint("green"))),
                Map.of("blue", 1), "green", "blue",
                List.of(MatchRoute.header("X-Canary", "yes", "green"), MatchRoute.cookie("beta", "1", "green")), null);
        startProxy(ProxyConfig.defaults(), table);
        int previewPort = proxy.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), true).getPort();
        assertThat(get("/").body()).isEqualTo("blue");
        assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).header("X-Canary", "yes").build(),
                HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("green");
        assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).header("Cookie", "a=b; beta=1").build(),
                HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("green");
        assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + previewPort + "/")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("green");

        proxy.router().update(table.withWeights(Map.of("blue", 1, "green", 1)).withRoutes(List.of()).withStickyCookie("rollgate-rev"));
        HttpResponse<String> first = get("/");
        String cookie = first.headers().firstValue("set-cookie").orElseThrow();
        assertThat(cookie).startsWith("rollgate-rev=" + first.body() + ";");
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> again = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(again.body()).isEqualTo(first.body());
            assertThat(again.headers().firstValue("set-cookie")).isEmpty();
        }
    }

    @Test
    void metricsPerRevisionOverAWindowAndInPrometheusText() throws Exception {
        TestUpstream a = upstream("a");
        startProxy(ProxyConfig.defaults(), RoutingTable.single("v7", List.of(a.endpoint("v7"))));
        for (int i = 0; i < 30; i++) get("/");
        for (int i = 0; i < 5; i++) get("/status?code=500");
        get("/status?code=404");
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.metrics().forRevision("v7", 60).requests() == 36);
        WindowStats w = proxy.metrics().forRevision("v7", 60);
        assertThat(w.status(2)).isEqualTo(30);
        assertThat(w.status(5)).isEqualTo(5);
        assertThat(w.status(4)).isEqualTo(1);
        assertThat(w.successRate()).isCloseTo(31.0 / 36, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(w.p50()).isPositive();
        assertThat(w.p99()).isGreaterThanOrEqualTo(w.p50());
        assertThat(proxy.metrics().prometheus())
                .contains("rollgate_proxy_requests_total{revision=\"v7\",endpoint=\"a\",code=\"2xx\"} 30")
                .contains("rollgate_proxy_requests_total{revision=\"v7\",endpoint=\"a\",code=\"5xx\"} 5")
                .contains("rollgate_proxy_in_flight{revision=\"v7\",endpoint=\"a\"} 0")
                .contains("rollgate_proxy_latency_seconds{revision=\"v7\",quantile=\"0.99\"}");
    }
}
