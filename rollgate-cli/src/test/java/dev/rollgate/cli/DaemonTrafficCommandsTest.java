package dev.rollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rollgate.json.Json;
import dev.rollgate.local.process.ProcessGroup;
import dev.rollgate.local.store.DaemonFiles;
import dev.rollgate.testkit.Hey;
import dev.rollgate.testkit.Loopback;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The daemon's traffic as users reach it: hey through a rolling update and through kill -9 of the daemon (the data
 * plane outlives it), and the front door from the command line.
 */
class DaemonTrafficCommandsTest extends DaemonCliFixture {

    @Test
    void heyThroughTheProxyDuringARollingUpdateGetsOnly2xx() throws Exception {
        int port = Loopback.freePort();
        assertThat(rg("up").exit()).isZero();
        rg("apply", "-f", spec("shop", 2, port, "v1", "  minReadySeconds: 1\n").toString());
        assertThat(rg("rollout", "status", "shop", "-w", "--timeout", "90s").exit()).isZero();
        describe("shop");

        // diff: what apply would do, decided by the daemon, with nothing changed
        Path v2 = spec("shop", 2, port, "v2", "  minReadySeconds: 1\n", "--startup-delay", "1s");
        Cli.Result diff = rg("diff", "-f", v2.toString(), "--exit-code");
        assertThat(diff.exit()).as(diff.err()).isEqualTo(1);
        assertThat(diff.out()).startsWith("service/shop configured: revision 2 (v2) rolls out by RollingUpdate (maxSurge 1, maxUnavailable 0)\n")
                .contains("  spec.template.version: \"v1\" -> \"v2\"\n");
        assertThat(rg("apply", "-f", v2.toString(), "--dry-run").out()).isEqualTo("service/shop configured (dry run)\n");
        assertThat(Json.MAPPER.readTree(rg("get", "shop", "-o", "json").out()).path("status").path("revision").asInt())
                .as("diff and apply --dry-run changed nothing").isEqualTo(1);

        Hey.Report report;
        try (Hey hey = Hey.start(java.net.URI.create("http://127.0.0.1:" + port + "/"), 4)) {
            rg("apply", "-f", v2.toString());
            Cli.Result status = rg("rollout", "status", "shop", "-w", "--timeout", "90s");
            describe("shop");
            assertThat(status.exit()).as(status.out()).isZero();
            assertThat(hey.running()).as("hey ran through the whole rollout").isTrue();
            report = hey.stop();
        }
        assertThat(report.ok()).as(report.text()).isGreaterThan(100);
        assertThat(report.clean()).as(report.text()).isTrue();
        Cli.Result same = rg("diff", "-f", v2.toString(), "--exit-code");
        assertThat(same.exit()).as(same.err()).isZero();
        assertThat(same.out()).isEqualTo("service/shop unchanged\n");

        // The admin API: the token is required; /metrics has the daemon's and the proxy's series, per service.
        var address = DaemonFiles.readAddress(dir.resolve("state")).orElseThrow();
        var http = java.net.http.HttpClient.newHttpClient();
        var metricsUri = java.net.URI.create("http://127.0.0.1:" + address.port() + "/metrics");
        var anonymous = http.send(java.net.http.HttpRequest.newBuilder(metricsUri).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        String token = Files.readString(dir.resolve("state/token")).strip();
        var metrics = http.send(java.net.http.HttpRequest.newBuilder(metricsUri).header("Authorization", "Bearer " + token).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("rollgate_rollout_revision{service=\"shop\"} 2")
                .containsPattern("rollgate_proxy_requests_total\\{service=\"shop\",revision=\"[0-9a-f]{10}\",endpoint=\"[^\"]+\",code=\"2xx\"} [1-9]");
        assertThat(rg("down").exit()).isZero();
    }

    /**
     * The data plane outlives the daemon: kill -9 of the daemon under load costs no request, nor
     * does {@code down --leave-running} (an upgrade); a request sent while no daemon runs is
     * answered, the next daemon attaches to the same data plane, and {@code down} stops it with
     * everything else.
     */
    @Test
    void killNineOfTheDaemonUnderHeyCostsNoRequest() throws Exception {
        int port = Loopback.freePort();
        assertThat(rg("up").exit()).isZero();
        rg("apply", "-f", spec("shop", 2, port, "v1", "").toString());
        assertThat(rg("rollout", "status", "shop", "-w", "--timeout", "90s").exit()).isZero();
        describe("shop");
        Path dataPlaneFile = dir.resolve("state/dataplane.json");
        long dataPlane = Json.MAPPER.readTree(Files.readString(dataPlaneFile)).path("pid").asLong();
        seenPids.add(dataPlane);

        var http = java.net.http.HttpClient.newHttpClient();
        var uri = java.net.URI.create("http://127.0.0.1:" + port + "/");
        Hey.Report report;
        try (Hey hey = Hey.start(uri, 20)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> served(http, uri));
            long pid = daemonPid();
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            await().atMost(Duration.ofSeconds(10)).until(() -> !ProcessGroup.isRunning(pid));
            assertThat(served(http, uri)).as("answered while no daemon runs").isTrue();
            Cli.Result up = rg("up");
            assertThat(up.exit()).as(up.err()).isZero();
            long second = daemonPid();
            Cli.Result detach = rg("down", "--leave-running");
            assertThat(detach.exit()).as(detach.err()).isZero();
            assertThat(detach.out()).contains("the replicas and the data plane keep serving until the next 'rollgate up'");
            assertThat(ProcessGroup.isRunning(second)).isFalse();
            assertThat(served(http, uri)).as("answered after down --leave-running").isTrue();
            up = rg("up");
            assertThat(up.exit()).as(up.err()).isZero();
            assertThat(hey.running()).as("hey ran through the kill and both restarts").isTrue();
            report = hey.stop();
        }
        assertThat(report.ok()).as(report.text()).isGreaterThan(100);
        assertThat(report.clean()).as(report.text()).isTrue();

        assertThat(Json.MAPPER.readTree(Files.readString(dataPlaneFile)).path("pid").asLong()).as("the same data plane").isEqualTo(dataPlane);
        List<String> daemonEvents = Json.MAPPER.readTree(rg("events", "-o", "json").out()).findValuesAsText("message");
        assertThat(daemonEvents).anyMatch(m -> m.startsWith("attached to the running data plane (pid " + dataPlane))
                .anyMatch(m -> m.startsWith("the daemon stops alone: 1 service(s) keep serving"));
        List<String> shopEvents = Json.MAPPER.readTree(rg("events", "shop", "-o", "json").out()).findValuesAsText("message");
        assertThat(shopEvents).anyMatch(m -> m.endsWith("Ready as the data plane was routing to it"));

        assertThat(rg("down").exit()).isZero();
        assertThat(ProcessGroup.isRunning(dataPlane)).as("down stops the data plane").isFalse();
        assertThat(dataPlaneFile).doesNotExist();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> http.send(java.net.http.HttpRequest.newBuilder(uri).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.net.ConnectException.class);
    }

    /** The front door from the command line: up --listen, a service by host, traffic stop / pause / resume, install --systemd. */
    @Test
    void theFrontDoorAndMaintenanceFromTheCommandLine() throws Exception {
        assertThat(rg("up", "--listen", "nonsense").err()).contains("--listen: expected HOST:PORT or :PORT, got nonsense");
        int door = Loopback.freePort(), port = Loopback.freePort();
        Cli.Result up = rg("up", "--listen", "127.0.0.1:" + door);
        assertThat(up.exit()).as(up.err()).isZero();
        assertThat(up.out()).contains("front door on http 127.0.0.1:" + door);
        Path spec = spec("shop", 1, port, "v1", "");
        Files.writeString(spec, Files.readString(spec).replace("service: {port: " + port + "}", "service: {port: " + port + ", hosts: [localhost]}"));
        rg("apply", "-f", spec.toString());
        assertThat(rg("rollout", "status", "shop", "-w", "--timeout", "90s").exit()).isZero();
        describe("shop");
        var http = java.net.http.HttpClient.newHttpClient();
        var uri = java.net.URI.create("http://localhost:" + door + "/");
        java.util.function.Supplier<java.net.http.HttpResponse<String>> get = () -> {
            try {
                return http.send(java.net.http.HttpRequest.newBuilder(uri).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        assertThat(get.get().body()).contains("\"version\":\"v1\"");

        Cli.Result stop = rg("traffic", "stop", "shop", "--message", "back at noon", "--retry-after", "300");
        assertThat(stop.out()).contains("shop stopped: requests get 503 (back at noon) with Retry-After 300s");
        var stopped = get.get();
        assertThat(stopped.statusCode()).isEqualTo(503);
        assertThat(stopped.body()).isEqualTo("back at noon\n");
        assertThat(stopped.headers().firstValue("retry-after")).hasValue("300");

        assertThat(rg("traffic", "pause", "shop").out()).contains("shop paused");
        var held = java.util.concurrent.CompletableFuture.supplyAsync(get);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> !held.isDone());
        assertThat(rg("traffic", "resume", "shop").out()).contains("shop resumed");
        assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(rg("traffic", "pause", "nope").err()).contains("service nope not found");
        List<String> reasons = Json.MAPPER.readTree(rg("events", "shop", "-o", "json").out()).findValuesAsText("reason");
        assertThat(reasons).containsSubsequence("TrafficStopped", "TrafficPaused", "TrafficResumed");

        Path unit = dir.resolve("rollgate.service");
        Cli.Result install = rg("install", "--systemd", "--output", unit.toString(), "--launcher", "/opt/rollgate/rollgate");
        assertThat(install.exit()).as(install.err()).isZero();
        assertThat(Files.readString(unit)).contains("ExecStart=/opt/rollgate/rollgate up --foreground --state-dir " + state())
                .contains("ExecStop=/opt/rollgate/rollgate down --leave-running --state-dir " + state())
                .contains("KillMode=process").contains("Restart=on-failure").contains("AmbientCapabilities=CAP_NET_BIND_SERVICE");
        assertThat(rg("down").exit()).isZero();
    }

    private static boolean served(java.net.http.HttpClient http, java.net.URI uri) throws IOException, InterruptedException {
        return http.send(java.net.http.HttpRequest.newBuilder(uri).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
    }
}
