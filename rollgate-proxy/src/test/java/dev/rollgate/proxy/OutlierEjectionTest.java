package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rollgate.testkit.Loopback;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Passive health over real sockets: a replica that answers 500, and one that refuses connections, set aside and let back. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OutlierEjectionTest {

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

    private void start(RoutingTable table, OutlierDetection settings) throws Exception {
        proxy = new ProxyServer(ProxyConfig.defaults(), 2);
        closeMe.add(proxy);
        proxy.limits(new ServiceLimits(0, false, Map.of(), settings, Compression.OFF, UpstreamProtocol.HTTP1));
        proxy.router().update(table);
        port = proxy.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), false).getPort();
    }

    private int status() throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    @Test
    void aReplicaAnswering500IsSetAsideAfterFiveInARowAndComesBackWhenItsTimeIsUp() throws Exception {
        TestUpstream a = upstream("a"), b = upstream("b"), c = upstream("c");
        b.failWith = 500;
        start(RoutingTable.single("v1", List.of(a.endpoint("v1"), b.endpoint("v1"), c.endpoint("v1"))),
                new OutlierDetection(5, Duration.ofSeconds(3), Duration.ofSeconds(60), 50));

        int errors = 0;
        for (int i = 0; i < 60; i++) if (status() == 500) errors++;
        assertThat(errors).as("its five in a row, then none").isEqualTo(5);
        assertThat(b.hits.get()).isEqualTo(5);
        assertThat(proxy.metrics().ejections()).singleElement().satisfies(e -> {
            assertThat(e.endpoint()).isEqualTo("b");
            assertThat(e.failures()).isEqualTo(5);
            assertThat(e.seconds()).isEqualTo(3);
        });

        b.failWith = 0;
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            status();
            return b.hits.get() > 5;
        });
        assertThat(proxy.metrics().ejections()).as("back without another ejection").hasSize(1);
    }

    @Test
    void aReplicaThatRefusesConnectionsIsSetAsideAndNoClientSeesIt() throws Exception {
        TestUpstream a = upstream("a"), b = upstream("b");
        Endpoint gone = new Endpoint("gone", "v1", "127.0.0.1", Loopback.freePort());
        start(new RoutingTable(Map.of("v1", List.of(a.endpoint("v1"), b.endpoint("v1"), gone)), Map.of("v1", 1), null, "v1", List.of(), null),
                OutlierDetection.DEFAULT);

        for (int i = 0; i < 40; i++) assertThat(status()).isEqualTo(200);
        assertThat(proxy.metrics().ejections()).singleElement().satisfies(e -> assertThat(e.endpoint()).isEqualTo("gone"));
        assertThat(proxy.metrics().retries("v1")).as("each refused connection retried elsewhere, five in all").isEqualTo(5);
    }

    @Test
    void offLeavesEveryReplicaInRouting() throws Exception {
        TestUpstream a = upstream("a"), b = upstream("b");
        b.failWith = 503;
        start(RoutingTable.single("v1", List.of(a.endpoint("v1"), b.endpoint("v1"))), OutlierDetection.OFF);
        int errors = 0;
        for (int i = 0; i < 20; i++) if (status() == 503) errors++;
        assertThat(errors).isEqualTo(10);
        assertThat(proxy.metrics().ejections()).isEmpty();
    }
}
