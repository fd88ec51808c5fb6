package dev.rollgate.local.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.spec.Handler;
import dev.rollgate.testkit.GrpcTestServer;
import dev.rollgate.testkit.Loopback;
import io.grpc.Server;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The kubelet's gRPC probe against a real grpc-java server and its health service. */
class GrpcProbeTest {

    private static Server server;

    @BeforeAll
    static void start() throws Exception {
        server = GrpcTestServer.start(0, "v1", "r1", 0, null);
    }

    @AfterAll
    static void stop() {
        server.shutdownNow();
    }

    private static ProbeResult probe(Integer port, String service) {
        return GrpcProbe.run(new Handler.Grpc(port, service), new ProbeTarget(server.getPort(), Map.of(), null), Duration.ofSeconds(5));
    }

    @Test
    void aServingServerAndAServingServiceSucceed() {
        assertThat(probe(null, "")).isEqualTo(ProbeResult.success("gRPC probe on port " + server.getPort() + ": SERVING"));
        assertThat(probe(server.getPort(), "rollgate.test.Echo"))
                .isEqualTo(ProbeResult.success("gRPC probe of rollgate.test.Echo on port " + server.getPort() + ": SERVING"));
    }

    @Test
    void anUnknownServiceARefusedPortAndAPortThatIsNotGrpcFail() throws Exception {
        ProbeResult unknown = probe(null, "no.such.Service");
        assertThat(unknown.outcome()).isEqualTo(ProbeResult.Outcome.FAILURE);
        assertThat(unknown.detail()).startsWith("gRPC probe of no.such.Service on port " + server.getPort() + " failed with gRPC status 5");

        int closed = Loopback.freePort();
        ProbeResult refused = probe(closed, "");
        assertThat(refused.outcome()).isEqualTo(ProbeResult.Outcome.FAILURE);
        assertThat(refused.detail()).startsWith("gRPC probe on port " + closed + " failed: ");

        try (var http = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ProbeResult silent = GrpcProbe.run(new Handler.Grpc(http.getLocalPort(), ""), new ProbeTarget(0, Map.of(), null), Duration.ofMillis(500));
            assertThat(silent).isEqualTo(ProbeResult.failure("gRPC probe on port " + http.getLocalPort() + " timed out after 500 ms"));
        }
    }
}
