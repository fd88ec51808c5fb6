package dev.rollgate.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The endpoints over real HTTP on loopback. */
class JdkHttpServerHealthTest {

    final Health health = new Health();
    final HttpClient client = HttpClient.newHttpClient();
    final AtomicBoolean db = new AtomicBoolean(true);
    final CountDownLatch hang = new CountDownLatch(1);
    HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        JdkHttpServerHealth.serve(server, health, true);
        health.register("db", () -> CheckResult.of(db.get()).with("pool", "main"), CheckOptions.readiness().every(Duration.ofMillis(50)));
        health.register("slow-upstream", () -> {
            hang.await(); // hangs until the test ends
            return CheckResult.up();
        }, CheckOptions.readiness().critical(false).timeout(Duration.ofSeconds(30)));
        server.start();
        health.start();
    }

    @AfterEach
    void stop() {
        hang.countDown();
        health.close();
        server.stop(0);
    }

    HttpResponse<String> get(String path) throws Exception {
        var req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path)).build();
        return client.send(req, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void probesAnswerWithMicroProfileJsonAndStatusCodes() throws Exception {
        assertThat(get("/health/started").statusCode()).isEqualTo(503);
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        health.markStarted();
        await().atMost(Duration.ofSeconds(5)).until(() -> get("/health/ready").statusCode() == 200);
        HttpResponse<String> ready = get("/health/ready");
        assertThat(ready.headers().firstValue("content-type")).contains("application/json");
        assertThat(ready.body()).startsWith("{\"status\":\"UP\",\"checks\":[{\"name\":\"started\",\"status\":\"UP\"")
                .contains("{\"name\":\"db\",\"status\":\"UP\",\"data\":{\"pool\":\"main\"}}")
                .contains("{\"name\":\"slow-upstream\",\"status\":\"DOWN\",\"data\":{\"error\":\"not run yet\"}}");
        db.set(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> get("/health/ready").statusCode() == 503);
        assertThat(get("/health/ready").body()).startsWith("{\"status\":\"DOWN\"");
        assertThat(get("/health").statusCode()).isEqualTo(503);
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        assertThat(get("/health/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void aHungCheckDoesNotDelayTheProbe() throws Exception {
        health.markStarted();
        get("/health/ready"); // warm the connection
        long begin = System.nanoTime();
        HttpResponse<String> r = get("/health/ready");
        long millis = (System.nanoTime() - begin) / 1_000_000;
        assertThat(r.body()).contains("slow-upstream");
        assertThat(millis).as("answered from cached results while a check hangs for 30 s").isLessThan(1000);
    }

    @Test
    void detailsAreShownOnlyWhenEnabled() throws Exception {
        HttpServer quiet = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        JdkHttpServerHealth.serve(quiet, health, false);
        quiet.start();
        try {
            health.markStarted();
            var req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + quiet.getAddress().getPort() + "/health/ready")).build();
            String body = client.send(req, HttpResponse.BodyHandlers.ofString()).body();
            assertThat(body).contains("{\"name\":\"db\",\"status\":").doesNotContain("data").doesNotContain("pool");
        } finally {
            quiet.stop(0);
        }
    }

    @Test
    void metricsInPrometheusText() throws Exception {
        health.markStarted();
        await().atMost(Duration.ofSeconds(5)).until(() -> get("/health/metrics").body().contains("rollgate_health_check_status{check=\"db\"} 1"));
        String body = get("/health/metrics").body();
        assertThat(body).contains("# TYPE rollgate_health_check_status gauge")
                .contains("rollgate_health_check_status{check=\"slow-upstream\"} -1")
                .contains("rollgate_health_probe_status{probe=\"liveness\"} 1")
                .containsPattern("rollgate_health_check_duration_seconds\\{check=\"db\"} 0\\.\\d{6}");
    }
}
