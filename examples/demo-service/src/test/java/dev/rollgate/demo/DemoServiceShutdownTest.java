package dev.rollgate.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rollgate.health.Health;
import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to the demo service in a child process, with a slow request in flight. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DemoServiceShutdownTest {

    @TempDir
    Path dir;

    Process service;
    int port;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void kill() {
        if (service != null) service.destroyForcibly();
    }

    static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    void start(String... options) throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String java = ProcessHandle.current().info().command().orElseThrow();
        var argv = new java.util.ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                location(DemoService.class) + File.pathSeparator + location(Health.class), DemoService.class.getName(),
                "--port", Integer.toString(port)));
        argv.addAll(List.of(options));
        service = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
    }

    /** A fresh connection per request (no pooling), so "refused" means the listener is closed. */
    int status(String path) throws IOException, InterruptedException {
        var req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
        try (HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return fresh.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    boolean refused(String path) throws InterruptedException {
        try {
            status(path);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return e.getCause() instanceof ConnectException;
        }
    }

    @Test
    void sigtermTurnsReadinessDownThenClosesThenDrainsThenExitsZero() throws Exception {
        start("--shutdown-delay", "1500ms", "--drain-timeout", "5s");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> status("/health/ready") == 200);

        // The request in flight lasts until the test has seen the listener close, then it is released.
        Path release = dir.resolve("release");
        CompletableFuture<HttpResponse<String>> slow = client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hold?until=" + release)).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> statsInFlight() >= 2); // the slow one and the stats request itself

        long begin = System.nanoTime();
        service.destroy(); // SIGTERM

        // Readiness goes 503 while the listener still accepts new connections: that is what lets load balancers notice.
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20)).until(() -> status("/health/ready") == 503);
        assertThat(status("/health/live")).as("liveness stays UP during shutdown").isEqualTo(200);
        long readyDownAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> refused("/"));
        long refusedAt = System.nanoTime();
        assertThat(readyDownAt).isLessThan(refusedAt);
        assertThat(Duration.ofNanos(refusedAt - begin)).as("closed after the propagation delay").isGreaterThanOrEqualTo(Duration.ofMillis(1400));
        assertThat(slow).as("the request in flight is still held").isNotDone();
        Files.writeString(release, "");

        HttpResponse<String> slowResponse = slow.get(10, TimeUnit.SECONDS);
        assertThat(slowResponse.statusCode()).isEqualTo(200);
        assertThat(slowResponse.body()).contains("\"version\":\"v1\"");

        assertThat(service.waitFor(8, TimeUnit.SECONDS)).as("exits within its budget (1.5 s + 5 s + 1 s)").isTrue();
        assertThat(service.exitValue()).isZero();
        String log = Files.readString(dir.resolve("out.log"));
        assertThat(log).contains("shutdown: SIGTERM received")
                .contains("shutdown: readiness DOWN, liveness UP; serving 1 in-flight request(s)")
                // at least the slow request; the test's own polling of "/" may add one more at that instant
                .containsPattern("shutdown: stopped accepting; waiting up to 5000 ms for [12] in-flight request\\(s\\)")
                .contains("shutdown: drained, no request in flight")
                .contains("shutdown: closed health checks in")
                .containsPattern("shutdown: complete in \\d+ ms \\(budget 7500 ms\\)");
    }

    @Test
    void warmupHoldsReadinessUntilTheCacheIsWarm() throws Exception {
        start("--warmup", "2s");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> status("/health/live") == 200);
        assertThat(status("/health/started")).isEqualTo(200);
        assertThat(status("/health/ready")).as("hit rate below 0.6 right after start").isEqualTo(503);
        await().atMost(Duration.ofSeconds(10)).until(() -> status("/health/ready") == 200);
        String ready = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(ready).contains("\"name\":\"cache-warmup\",\"status\":\"UP\"").contains("\"threshold\":0.6");
    }

    int statsInFlight() throws Exception {
        String body = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/control/stats")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return Integer.parseInt(body.replaceAll(".*\"inFlight\":(\\d+).*", "$1"));
    }
}
