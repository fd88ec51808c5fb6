package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rollgate.testkit.GrpcLoad;
import dev.rollgate.testkit.GrpcTestServer;
import io.grpc.Server;
import io.grpc.Status;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * gRPC through the proxy, with grpc-java on both sides: clients speak h2c with prior knowledge to
 * the service's port, the replicas are reached over HTTP/2 too, trailers pass through, weights
 * apply, and a call that ends with a grpc-status other than OK counts as an error of its revision.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrpcUpstreamTest {

    private final List<Server> servers = new ArrayList<>();
    private ProxyServer proxy;
    private int port;

    @AfterEach
    void close() {
        if (proxy != null) proxy.close();
        servers.forEach(Server::shutdownNow);
    }

    private Endpoint replica(String name, String revision, double failRate) throws Exception {
        Server s = GrpcTestServer.start(0, revision, name, failRate, null);
        servers.add(s);
        return new Endpoint(name, revision, "127.0.0.1", s.getPort());
    }

    private void start(RoutingTable table) throws Exception {
        proxy = new ProxyServer(ProxyConfig.defaults(), 2);
        proxy.limits(new ServiceLimits(0, false, Map.of(), OutlierDetection.OFF, Compression.OFF, UpstreamProtocol.H2C));
        proxy.router().update(table);
        port = proxy.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), false).getPort();
    }

    @Test
    void callsGoThroughOverHttp2BothWaysAndTheWeightsSplitThem() throws Exception {
        Endpoint v1 = replica("a", "v1", 0), v2 = replica("b", "v2", 0);
        start(new RoutingTable(Map.of("v1", List.of(v1), "v2", List.of(v2)), Map.of("v1", 75, "v2", 25), null, "v1", List.of(), null));

        GrpcLoad.Report report;
        try (GrpcLoad load = GrpcLoad.start(port, 3)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> load.ok() >= 400);
            report = load.stop();
        }
        assertThat(report.failures()).as("%s", report).isZero();
        long total = report.versions().values().stream().mapToLong(Long::longValue).sum();
        assertThat(report.versions().get("v2") * 100.0 / total).as("v2's share of %d calls", total).isBetween(15.0, 35.0);
        assertThat(proxy.metrics().total("v1", 2) + proxy.metrics().total("v2", 2)).isEqualTo(total);
        assertThat(proxy.metrics().total("v1", 5) + proxy.metrics().total("v2", 5)).isZero();
    }

    @Test
    void aReplicaThatTakesOneCallPerConnectionGetsMoreConnectionsAndNoCallIsRefused() throws Exception {
        Server narrow = GrpcTestServer.start(0, "v1", "narrow", 0, null, 1);
        servers.add(narrow);
        proxy = new ProxyServer(ProxyConfig.defaults(), 1);
        proxy.limits(new ServiceLimits(0, false, Map.of(), OutlierDetection.OFF, Compression.OFF, UpstreamProtocol.H2C));
        proxy.router().update(RoutingTable.single("v1", List.of(new Endpoint("narrow", "v1", "127.0.0.1", narrow.getPort()))));
        port = proxy.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), false).getPort();

        GrpcLoad.Report report;
        try (GrpcLoad load = GrpcLoad.start(port, 4)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> load.ok() >= 400);
            report = load.stop();
        }
        assertThat(report.failures()).as("%s", report).isZero();
    }

    /**
     * A replica that takes five streams on a connection and refuses the next with a GOAWAY, as nginx
     * does after its keepalive_requests: the calls on streams it refused were never processed, and
     * go again, bodies and all, on a new connection; none fails.
     */
    @Test
    void callsOnStreamsAReplicasGoAwayRefusedGoAgainAndNoneFails() throws Exception {
        try (GoAwayUpstream upstream = new GoAwayUpstream(5)) {
            proxy = new ProxyServer(ProxyConfig.defaults(), 1);
            proxy.limits(new ServiceLimits(0, false, Map.of(), OutlierDetection.OFF, Compression.OFF, UpstreamProtocol.H2C));
            proxy.router().update(RoutingTable.single("v1", List.of(new Endpoint("nginx-like", "v1", "127.0.0.1", upstream.port()))));
            port = proxy.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), false).getPort();

            GrpcLoad.Report report;
            try (GrpcLoad load = GrpcLoad.start(port, 8)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> load.ok() >= 1000 && upstream.refused.get() >= 20);
                report = load.stop();
            }
            assertThat(report.failures()).as("%s; refused %d", report, upstream.refused.get()).isZero();
            assertThat(report.versions()).as("every call answered with its own message").containsOnlyKeys("v1");
            assertThat((long) upstream.answered.get()).as("each call processed once (8 may be cut short by the load's stop)")
                    .isBetween(report.ok(), report.ok() + 8);
        }
    }

    @Test
    void aCallThatEndsWithAnErrorStatusReachesTheClientAndCountsAsAnErrorOfItsRevision() throws Exception {
        Endpoint stable = replica("a", "v1", 0), failing = replica("b", "v2", 1.0);
        start(new RoutingTable(Map.of("v1", List.of(stable), "v2", List.of(failing)), Map.of("v1", 50, "v2", 50), null, "v1", List.of(), null));

        GrpcLoad.Report report;
        try (GrpcLoad load = GrpcLoad.start(port, 2)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> load.ok() >= 100);
            report = load.stop();
        }
        assertThat(report.failed()).as("the replica's own status, from its trailers").containsOnlyKeys(Status.Code.UNAVAILABLE);
        assertThat(report.failures()).isGreaterThan(50);
        assertThat(proxy.metrics().total("v2", 5)).as("UNAVAILABLE counted as 503").isEqualTo(report.failures());
        assertThat(proxy.metrics().total("v2", 2)).isZero();
        assertThat(proxy.metrics().total("v1", 5)).isZero();
        assertThat(proxy.metrics().total("v1", 2)).isEqualTo(report.ok());
    }
}
