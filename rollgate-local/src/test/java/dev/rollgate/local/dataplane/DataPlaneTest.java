package dev.rollgate.local.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.rollgate.local.dataplane.client.DataPlaneClient;
import dev.rollgate.local.dataplane.client.RemoteProxy;
import dev.rollgate.local.dataplane.server.InProcessProxy;
import dev.rollgate.local.process.JavaCommand;
import dev.rollgate.proxy.Endpoint;
import dev.rollgate.proxy.ProxyConfig;
import dev.rollgate.proxy.RoutingTable;
import dev.rollgate.testkit.Loopback;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data plane process as the daemon drives it: started once, re-attached to, restarted when it dies, stopped by down. */
class DataPlaneTest {

    @TempDir
    Path dir;

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private HttpServer upstream;
    private DataPlaneClient client;

    @BeforeEach
    void start() throws IOException {
        Files.writeString(dir.resolve("token"), "secret-token\n");
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        upstream.createContext("/", ex -> {
            byte[] b = "from upstream".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        upstream.start();
    }

    @AfterEach
    void stop() {
        if (client != null) client.stop();
        upstream.stop(0);
    }

    private DataPlaneClient attach() throws IOException {
        return DataPlaneClient.attach(dir, "secret-token", JavaCommand.current("-XX:+UseSerialGC", "-Xmx128m"),
                (type, reason, message) -> events.add(reason + ": " + message));
    }

    /** A data plane attached, serving "web" on a free port with its table pointing at the upstream. */
    private ProxyHandle attachWithWebRoutedToTheUpstream() throws Exception {
        client = attach();
        ProxyHandle web = client.open("web", 0, ProxyConfig.Timeouts.DEFAULTS);
        web.update(toUpstream());
        return web;
    }

    private RoutingTable toUpstream() {
        return RoutingTable.single("v1", List.of(new Endpoint("web-1@" + upstream.getAddress().getPort(), "v1", "127.0.0.1",
                upstream.getAddress().getPort())));
    }

    private HttpResponse<String> get(int port) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aServiceKeepsItsListenerAndTableAcrossADaemonThatGoesAway() throws Exception {
        ProxyHandle web = attachWithWebRoutedToTheUpstream();
        long pid = client.pid();
        int port = web.address().getPort();
        assertThat(get(port).body()).isEqualTo("from upstream");
        assertThat(web.metrics().total("v1", 2)).isEqualTo(1);

        client.close();   // the daemon is gone (kill -9 leaves no more than this)
        assertThat(get(port).body()).as("served while no daemon runs").isEqualTo("from upstream");

        client = attach();
        assertThat(client.pid()).as("the same data plane").isEqualTo(pid);
        assertThat(client.served()).containsExactly("web");
        assertThat(client.routed("web")).containsExactly("web-1@" + upstream.getAddress().getPort());
        assertThat(events).anyMatch(e -> e.startsWith("DataPlaneAttached: attached to the running data plane (pid " + pid));
        ProxyHandle again = client.open("web", port, ProxyConfig.Timeouts.DEFAULTS);
        assertThat(get(port).body()).as("re-opening keeps the table").isEqualTo("from upstream");
        assertThat(again.metrics().total("v1", 2)).as("and the counts").isEqualTo(3);
        assertThat(again.metrics().forRevision("v1", 60).window()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aDataPlaneThatDiesIsRestartedWithEveryServiceAsTheDaemonLastSetIt() throws Exception {
        ProxyHandle web = attachWithWebRoutedToTheUpstream();
        long pid = client.pid();
        int port = web.address().getPort();
        web.masking(true);
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(ConnectException.class)
                .until(() -> get(port).body().equals("from upstream"));
        assertThat(client.pid()).isNotEqualTo(pid);
        assertThat(events).anyMatch(e -> e.startsWith("DataPlaneRestarted: the data plane (pid " + pid + ") died"));
    }

    @Test
    void aDataPlaneThatSpeaksAnOlderProtocolIsReplacedNotDrivenWithMessagesItWouldMisread() throws Exception {
        attachWithWebRoutedToTheUpstream();
        long pid = client.pid();
        client.close();
        DataPlaneProtocol.Address running = DataPlaneProtocol.running(dir).orElseThrow();
        Files.writeString(DataPlaneProtocol.addressFile(dir),   // as a data plane of the version before would have written it
                DataPlaneProtocol.write(new DataPlaneProtocol.Address(running.pid(), running.port(), DataPlaneProtocol.VERSION - 1)));

        client = attach();
        assertThat(client.pid()).isNotEqualTo(pid);
        await("the old data plane stops").atMost(Duration.ofSeconds(10)).until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertThat(events).anyMatch(e -> e.startsWith("DataPlaneReplaced: the running data plane (pid " + pid + ") speaks protocol "
                + (DataPlaneProtocol.VERSION - 1) + ", this daemon " + DataPlaneProtocol.VERSION));
    }

    @Test
    void aServiceDeletedDuringARestartStaysDeletedWithBothItsPortsFree() throws Exception {
        ProxyHandle web = attachWithWebRoutedToTheUpstream();
        long pid = client.pid();
        int port = web.address().getPort();
        int preview = Loopback.freePort();
        web.previewPort(preview);
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(30)).until(() -> events.stream().anyMatch(e -> e.startsWith("DataPlaneRestarted: the data plane (pid " + pid)));
        assertThat(get(port).body()).isEqualTo("from upstream");
        // The supervisor's replay runs over the services it saw when the data plane died; one deleted meanwhile is passed over.
        web.close();
        ((RemoteProxy) web).replay();
        assertThatThrownBy(() -> get(port)).isInstanceOf(ConnectException.class);
        assertThat(listening(preview)).as("the preview port").isFalse();
        assertThat(client.open("web", port, ProxyConfig.Timeouts.DEFAULTS).address().getPort()).as("the port can be served again").isEqualTo(port);
    }

    @Test
    void aDataPlaneThatStopsAnsweringIsSaidToAndSoIsItsReturn() throws Exception {
        client = attach();
        long pid = client.pid();
        signal("STOP", pid);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> events.stream().anyMatch(e -> e.startsWith("DataPlaneUnresponsive: the data plane (pid "
                    + pid + ") has not answered for")));
            assertThat(client.unansweredSince()).isPresent();
            assertThat(client.pid()).as("a stopped data plane is reported, not replaced").isEqualTo(pid);
        } finally {
            signal("CONT", pid);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> events.contains("DataPlaneResponsive: the data plane (pid " + pid + ") answers again"));
        assertThat(client.unansweredSince()).isEmpty();
    }

    private static void signal(String name, long pid) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor()).isZero();
    }

    @Test
    void aPreviewPortAskedForAfterTheServiceWasDroppedIsRefusedAndNotBound() throws Exception {
        InProcessProxy proxy = new InProcessProxy(0, ProxyConfig.defaults());
        int preview = Loopback.freePort();
        proxy.close();
        assertThatThrownBy(() -> proxy.previewPort(preview)).isInstanceOf(ProxyHandle.ProxyException.class)
                .hasMessage("the service is no longer served");
        assertThat(listening(preview)).isFalse();
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void stopClosesEveryListenerAndAPortTakenIsRefusedWithWords() throws Exception {
        client = attach();
        ProxyHandle web = client.open("web", 0, ProxyConfig.Timeouts.DEFAULTS);
        int port = web.address().getPort();
        assertThatThrownBy(() -> client.open("other", upstream.getAddress().getPort(), ProxyConfig.Timeouts.DEFAULTS))
                .isInstanceOf(ProxyHandle.ProxyException.class)
                .hasMessageContaining("cannot listen on 127.0.0.1:" + upstream.getAddress().getPort());
        long pid = client.pid();
        client.stop();
        client = null;
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThatThrownBy(() -> get(port)).isInstanceOf(ConnectException.class);
        assertThat(dir.resolve("dataplane.json")).doesNotExist();
    }

    @Test
    void aDataPlaneWhoseStateDirectoryIsRemovedStops() throws Exception {
        client = attach();
        long pid = client.pid();
        client.close();
        client = null;
        Files.delete(dir.resolve("dataplane.json"));
        await().atMost(Duration.ofSeconds(20)).until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }
}
