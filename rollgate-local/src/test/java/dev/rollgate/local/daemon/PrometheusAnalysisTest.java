package dev.rollgate.local.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rollgate.analysis.AnalysisRunView;
import dev.rollgate.local.process.ProcessGroup;
import dev.rollgate.local.store.DaemonFiles;
import dev.rollgate.testkit.Loopback;
import dev.rollgate.testkit.Packages;
import dev.rollgate.view.EventRow;
import dev.rollgate.view.ServiceView;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code prometheus} provider against a real Prometheus (Debian's package, installed when
 * missing) that scrapes the daemon's {@code /metrics} with its bearer token: a canary step's
 * analysis queries the canary's own request counter by its revision label.
 */
class PrometheusAnalysisTest {

    @TempDir
    Path dir;

    private Daemon daemon;
    private Process prometheus;
    private final List<Long> pids = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) prometheus.destroyForcibly().waitFor();
        }
        if (daemon != null) daemon.shutdown().get();
        for (long pid : pids) assertThat(ProcessGroup.members(pid)).as("process group " + pid + " left behind").isEmpty();
    }


    private boolean ok(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void aCanaryStepAnalysisQueriesPrometheusScrapingTheDaemon() throws Exception {
        Packages.ensure("prometheus");
        Path state = dir.resolve("state");
        daemon = Daemon.open(state, 0);
        int promPort = Loopback.freePort(), port = Loopback.freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                scrape_configs:
                - job_name: rollgate
                  static_configs: [{targets: ["127.0.0.1:%d"]}]
                  authorization: {type: Bearer, credentials_file: "%s"}
                """.formatted(daemon.adminPort(), DaemonFiles.tokenFile(state)));
        prometheus = new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + promPort).redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> ok("http://127.0.0.1:" + promPort + "/-/ready"));

        String extra = """
                  service: {port: %d}
                  strategy:
                    canary:
                      scaleDownDelaySeconds: 1
                      steps:
                      - setWeight: 50
                      - analysis: {templates: [{templateName: canary-traffic}], args: [{name: canary, valueFrom: {podTemplateHashValue: Latest}}]}
                """.formatted(port);
        String template = """
                ---
                apiVersion: rollgate.dev/v1alpha1
                kind: AnalysisTemplate
                metadata: {name: canary-traffic}
                spec:
                  args: [{name: canary}]
                  metrics:
                  - name: canary-2xx
                    interval: 1s
                    count: 10
                    failureLimit: 7
                    successCondition: len(result) > 0 && result[0] > 0
                    provider:
                      prometheus:
                        address: "http://127.0.0.1:%d"
                        query: sum(rollgate_proxy_requests_total{service="api",revision="{{args.canary}}",code="2xx"})
                """.formatted(promPort);
        daemon.apply(Specs.rollout("api", 2, 0, "v1", extra) + template, dir.toString(), "api.yaml");
        await().atMost(Duration.ofSeconds(90)).until(() -> daemon.describe("api").phase().equals("Complete"));

        AtomicBoolean running = new AtomicBoolean(true);
        Thread load = Thread.ofVirtual().start(() -> {
            while (running.get()) {
                ok("http://127.0.0.1:" + port + "/");
            }
        });
        daemon.apply(Specs.rollout("api", 2, 0, "v2", extra) + template, dir.toString(), "api.yaml");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            ServiceView v = daemon.describe("api");
            v.replicas().forEach(r -> {
                if (r.pid() > 0 && !pids.contains(r.pid())) pids.add(r.pid());
            });
            return v.status().version().equals("v2") && v.phase().equals("Complete");
        });
        running.set(false);
        load.join();
        AnalysisRunView run = daemon.service("api").analysisViews().getFirst();
        AnalysisRunView.Metric metric = run.metrics().getFirst();
        assertThat(run.phase().toString()).isEqualTo("Successful");
        assertThat(metric.successful()).isPositive();
        assertThat(metric.lastValue()).as("the canary's 2xx count as Prometheus scraped it").matches("\\[[1-9][0-9]*(\\.[0-9]+)?]");
        assertThat(daemon.events("api", 0, 500)).extracting(EventRow::reason).contains("StepCompleted", "RolloutPromoted");
    }
}
