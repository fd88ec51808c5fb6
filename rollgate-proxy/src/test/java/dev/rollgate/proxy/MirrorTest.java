package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Mirroring over real sockets: the client is answered by stable only, a copy of each matching
 * request goes to the canary, and the pairs are counted (failures on each side, differences).
 */
class MirrorTest {

    private final List<AutoCloseable> closeMe = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ProxyServer proxy;
    private int port;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeMe.reversed()) c.close();
    }

    private TestUpstream upstream(String name) throws Exception {
        TestUpstream u = new TestUpstream(name);
        closeMe.add(u);
        return u;
    }

    private void start(TestUpstream stable, TestUpstream canary, MirrorRoute mirror) throws Exception {
        proxy = new ProxyServer(ProxyConfig.defaults(), 2);
        closeMe.add(proxy);
        proxy.router().update(new RoutingTable(Map.of("v1", List.of(stable.endpoint("v1")), "v2", List.of(canary.endpoint("v2"))),
                Map.of("v1", 100, "v2", 0), null, "v1", List.of(), null, mirror));
        port = proxy.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), false).getPort();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("x") : HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void clientsAreAnsweredByStableWhileTheCanaryGetsCopiesOfSafeRequests() throws Exception {
        TestUpstream stable = upstream("stable"), canary = upstream("canary");
        start(stable, canary, new MirrorRoute("v2", 100, List.of(), false, List.of()));
        for (int i = 0; i < 20; i++) assertThat(send("GET", "/").body()).isEqualTo("stable");
        assertThat(send("POST", "/echo").body()).isEqualTo("x");
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.metrics().mirrored("v2").pairs() == 20);
        MirrorView v = proxy.metrics().mirrored("v2");
        assertThat(v.mirrored()).as("GET only: the POST is not copied").isEqualTo(20);
        assertThat(v.canaryErrors()).isZero();
        assertThat(v.different()).isZero();
        assertThat(v.canaryLatencyMs()).hasSize(20);
        assertThat(canary.targets).hasSize(20).allMatch(t -> t.equals("/"));
        assertThat(proxy.metrics().total("v2", 2)).as("copies are not the canary's user traffic").isZero();
        assertThat(proxy.metrics().prometheus()).contains("rollgate_proxy_mirrored_total{revision=\"v2\"} 20",
                "rollgate_proxy_mirror_pairs_total{revision=\"v2\"} 20", "rollgate_proxy_mirror_dropped_total{revision=\"v2\"} 0");
    }

    @Test
    void aCanaryThatFailsWhereStableDoesNotIsCountedAndUsersSeeNothing() throws Exception {
        TestUpstream stable = upstream("stable"), canary = upstream("canary");
        canary.failWith = 500;
        start(stable, canary, new MirrorRoute("v2", 100, List.of(), false, List.of()));
        for (int i = 0; i < 10; i++) assertThat(send("GET", "/").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.metrics().mirrored("v2").pairs() == 10);
        MirrorView v = proxy.metrics().mirrored("v2");
        assertThat(v.canaryErrors()).isEqualTo(10);
        assertThat(v.stableErrors()).isZero();
        assertThat(v.different()).as("status class 5xx against 2xx").isEqualTo(10);
    }

    @Test
    void matchesPercentageAndBodyComparisonChooseAndJudgeThePairs() throws Exception {
        TestUpstream stable = upstream("stable"), canary = upstream("canary");
        var onlyStatus = new MirrorRoute.Match(null, MatchRoute.Mode.PREFIX, "/status", List.of());
        start(stable, canary, new MirrorRoute("v2", 100, List.of(onlyStatus), true, List.of()));
        for (int i = 0; i < 5; i++) send("GET", "/status?code=200");
        for (int i = 0; i < 5; i++) send("GET", "/");
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.metrics().mirrored("v2").pairs() == 5);
        // Each upstream answers /status with its own name: same status, different bodies.
        assertThat(proxy.metrics().mirrored("v2").different()).isEqualTo(5);
        assertThat(canary.targets).hasSize(5).allMatch(t -> t.startsWith("/status"));

        proxy.router().update(proxy.router().table().withMirror(new MirrorRoute("v2", 0, List.of(), false, List.of())));
        for (int i = 0; i < 10; i++) send("GET", "/");
        assertThat(proxy.metrics().mirrored("v2").mirrored()).as("percentage 0 copies nothing").isEqualTo(5);
    }
}
