package dev.rollgate.local.replica;

import dev.rollgate.local.probe.HttpGetProbe;
import dev.rollgate.local.probe.ProbeResult;
import dev.rollgate.local.probe.ProbeTarget;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.rollgate.local.probe.ProbeResult.Outcome;
import dev.rollgate.spec.Handler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HandlersTest {

    static HttpServer server;
    static final Map<String, String> lastHeaders = new ConcurrentHashMap<>();
    static final ProbeTarget NO_PORT = new ProbeTarget(0, Map.of(), Path.of("."));

    @BeforeAll
    static void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", ex -> {
            ex.getRequestHeaders().forEach((k, v) -> lastHeaders.put(k.toLowerCase(), v.getFirst()));
            int status = Integer.parseInt(ex.getRequestURI().getPath().substring(1));
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        server.start();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    static ProbeTarget target() {
        return new ProbeTarget(server.getAddress().getPort(), Map.of(), Path.of("."));
    }

    static Handler.HttpGet get(String path) {
        return new Handler.HttpGet(path, null, "127.0.0.1", "HTTP", List.of(new Handler.HttpHeader("X-Probe", "ready")));
    }

    @ParameterizedTest(name = "status {0} -> {1}")
    @CsvSource({"200, SUCCESS", "204, SUCCESS", "301, SUCCESS", "399, SUCCESS", "400, FAILURE", "500, FAILURE", "503, FAILURE"})
    void httpGetSucceedsFrom200To399(int status, Outcome expected) {
        ProbeResult r = Handlers.run(get("/" + status), target(), Duration.ofSeconds(1));
        assertThat(r.outcome()).isEqualTo(expected);
        assertThat(r.detail()).contains("returned " + status);
    }

    @Test
    void httpGetClosesTheConnectionAndSendsTheHeaders() {
        Handlers.run(get("/200"), target(), Duration.ofSeconds(1));
        assertThat(lastHeaders).containsEntry("connection", "close").containsEntry("x-probe", "ready")
                .containsEntry("user-agent", HttpGetProbe.USER_AGENT);
    }

    @Test
    void httpGetTimesOutOnAServerThatNeverAnswers() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            ProbeTarget t = new ProbeTarget(silent.getLocalPort(), Map.of(), Path.of("."));
            long start = System.nanoTime();
            ProbeResult r = Handlers.run(get("/200"), t, Duration.ofSeconds(1));
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.outcome()).isEqualTo(Outcome.FAILURE);
            assertThat(r.detail()).contains("timed out after 1000 ms");
            assertThat(tookMillis).isBetween(900L, 3000L);
        }
    }

    @Test
    void closedPortFailsForHttpAndTcp() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        ProbeTarget t = new ProbeTarget(closed, Map.of(), Path.of("."));
        assertThat(Handlers.run(get("/200"), t, Duration.ofSeconds(1)).detail()).contains("Connection refused");
        assertThat(Handlers.run(new Handler.TcpSocket(null, "127.0.0.1"), t, Duration.ofSeconds(1)).outcome()).isEqualTo(Outcome.FAILURE);
    }

    @Test
    void tcpSucceedsOnAListeningPort() {
        assertThat(Handlers.run(new Handler.TcpSocket(null, "127.0.0.1"), target(), Duration.ofSeconds(1)).outcome())
                .isEqualTo(Outcome.SUCCESS);
        assertThat(Handlers.run(new Handler.TcpSocket(server.getAddress().getPort(), "127.0.0.1"), NO_PORT, Duration.ofSeconds(1)).outcome())
                .isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void execUsesTheExitCodeAndTheReplicaEnvironment() {
        ProbeTarget t = new ProbeTarget(1234, Map.of("PORT", "1234"), Path.of("."));
        assertThat(Handlers.run(new Handler.Exec(List.of("true")), t, Duration.ofSeconds(2)).outcome()).isEqualTo(Outcome.SUCCESS);
        ProbeResult no = Handlers.run(new Handler.Exec(List.of("false")), t, Duration.ofSeconds(2));
        assertThat(no.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(no.detail()).contains("exited with 1");
        assertThat(Handlers.run(new Handler.Exec(List.of("test", "$(PORT)", "=", "1234")), t, Duration.ofSeconds(2)).outcome())
                .isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void execTimesOutAndKillsTheCommand() {
        long start = System.nanoTime();
        ProbeResult r = Handlers.run(new Handler.Exec(List.of("sleep", "30")), NO_PORT, Duration.ofSeconds(1));
        assertThat(r.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(r.detail()).contains("timed out");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5000);
    }

    @Test
    void execOfAMissingCommandSaysSo() {
        ProbeResult r = Handlers.run(new Handler.Exec(List.of("no-such-probe-command")), NO_PORT, Duration.ofSeconds(1));
        assertThat(r.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(r.detail()).isEqualTo("exec probe: command no-such-probe-command not found on PATH");
    }
}
