package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rollgate.demo.DemoService;
import dev.rollgate.health.Health;
import dev.rollgate.testkit.Hey;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** kill -9 of an upstream process under load costs the clients nothing: connect and replay retries absorb it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpstreamCrashTest {

    final List<Process> processes = new ArrayList<>();
    ProxyServer proxy;

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
        if (proxy != null) proxy.close();
    }

    static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    int startDemo(String version) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String java = ProcessHandle.current().info().command().orElseThrow();
        processes.add(new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                location(DemoService.class) + File.pathSeparator + location(Health.class), DemoService.class.getName(),
                "--port", Integer.toString(port), "--version", version).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        return port;
    }

    /** Python's http.server (HTTP/1.0, a listen backlog of 5): the reproduction, where a burst of replays can overflow the survivor's queue. */
    int startPython(Path root) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        processes.add(new ProcessBuilder("python3", "-m", "http.server", Integer.toString(port), "--bind", "127.0.0.1", "--directory",
                root.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        return port;
    }

    @Test
    void killingAnUpstreamUnderLoadCostsNoClientError() throws Exception {
        killOneOfTwoUnderLoad(startDemo("a"), startDemo("b"), 8, "\"b\"");
    }

    /** The reproduction: hey -c 20 through the proxy, kill -9 of one upstream once 1,000 requests went through, 1,000 more after it. */
    @Test
    void killingOneOfTwoPythonHttpServersUnderHeyCostsNoClientError(@org.junit.jupiter.api.io.TempDir Path root) throws Exception {
        java.nio.file.Files.writeString(root.resolve("index.html"), "hello\n");
        URI uri = proxyInFrontOf(startPython(root), startPython(root), "hello");

        Hey.Report report;
        try (Hey hey = Hey.start(uri, 20)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> proxy.metrics().total("v1", 2) > 1000);
            processes.getFirst().destroyForcibly();
            processes.getFirst().waitFor();
            long atKill = proxy.metrics().total("v1", 2);
            await().atMost(Duration.ofSeconds(60)).until(() -> proxy.metrics().total("v1", 2) > atKill + 1000);
            assertThat(hey.running()).as("hey ran through the kill").isTrue();
            report = hey.stop();
        }
        assertThat(report.ok()).as(report.text()).isGreaterThan(2000);
        assertThat(report.clean()).as(report.text()).isTrue();
        assertThat(proxy.metrics().retries("v1")).as("retries that absorbed the crash").isPositive();
    }

    /** The proxy in front of upstreams a and b, once b has answered with {@code fromBMarker} and a few requests went through. */
    private URI proxyInFrontOf(int a, int b, String fromBMarker) throws Exception {
        proxy = new ProxyServer(ProxyConfig.defaults(), 2);
        proxy.router().update(RoutingTable.single("v1", List.of(
                new Endpoint("a", "v1", "127.0.0.1", a), new Endpoint("b", "v1", "127.0.0.1", b))));
        int port = proxy.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), false).getPort();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://127.0.0.1:" + port + "/");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body().contains(fromBMarker)
                        && proxy.metrics().total("v1", 2) > 2);
        return uri;
    }

    private void killOneOfTwoUnderLoad(int a, int b, int clients, String fromBMarker) throws Exception {
        URI uri = proxyInFrontOf(a, b, fromBMarker);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger(), failed = new AtomicInteger(), fromB = new AtomicInteger();
        List<Thread> load = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            load.add(Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) ok.incrementAndGet();
                        else failed.incrementAndGet();
                        if (r.body().contains(fromBMarker)) fromB.incrementAndGet();
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
            }));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> ok.get() > 500);
        processes.getFirst().destroyForcibly(); // SIGKILL of upstream a, with requests in flight
        processes.getFirst().waitFor();
        int atKill = ok.get();
        await().atMost(Duration.ofSeconds(20)).until(() -> ok.get() > atKill + 1000);
        running.set(false);
        for (Thread t : load) t.join();

        assertThat(failed).as("client errors").hasValue(0);
        assertThat(proxy.metrics().retries("v1")).as("retries that absorbed the crash").isPositive();
        assertThat(proxy.metrics().socketErrors("v1")).isZero();
        assertThat(fromB.get()).isGreaterThan(1000);
    }
}
