package dev.rollgate.local.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.rollgate.controller.Verb;
import dev.rollgate.local.process.ProcessGroup;
import dev.rollgate.testkit.Loopback;
import dev.rollgate.view.EventRow;
import dev.rollgate.view.ServiceView;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Canary and blue-green rollouts on the in-process daemon with real replica processes, real traffic and real analysis. */
class ProgressiveDaemonTest {

    @TempDir
    Path dir;

    private Daemon daemon;
    private final List<Long> pids = new ArrayList<>();
    private final List<HttpServer> servers = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws Exception {
        servers.forEach(s -> s.stop(0));
        if (daemon != null) daemon.shutdown().get();
        for (long pid : pids) assertThat(ProcessGroup.members(pid)).as("process group " + pid + " left behind").isEmpty();
    }

    private ServiceView waitForPhase(String name, String phase) {
        return DaemonAwait.phase(daemon, name, phase, pids);
    }


    /** A local HTTP server: POSTs are collected (webhooks), GETs answer {@code answer}'s current text. */
    private HttpServer server(List<String> posts, AtomicReference<String> answer) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.createContext("/", ex -> {
            byte[] in = ex.getRequestBody().readAllBytes();
            if (ex.getRequestMethod().equals("POST")) posts.add(new String(in, StandardCharsets.UTF_8));
            byte[] out = (answer == null ? "{}" : answer.get()).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        s.start();
        servers.add(s);
        return s;
    }

    private String get(int port) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    private static String reasons(List<String> webhookBodies) {
        return String.join("\n", webhookBodies);
    }

    private static final String JUDGE = """
            ---
            apiVersion: rollgate.dev/v1alpha1
            kind: AnalysisTemplate
            metadata: {name: errors}
            spec:
              dryRun: [{metricName: success-rate}]
              metrics:
              - name: errors-vs-stable
                interval: 500ms
                provider: {judge: {metric: errorRate, alpha: 0.001}}
              - name: success-rate
                interval: 1s
                successCondition: isNaN(result) || result >= 0.99
                provider: {builtin: {metric: successRate, window: 10s}}
            """;

    @Test
    void canaryIsAbortedByTheJudgeUnseenBehindMaskingThenRetriedAndAGoodCanaryPromoted() throws Exception {
        daemon = Daemon.open(dir.resolve("state"), 0);
        int port = Loopback.freePort();
        List<String> hooks = new CopyOnWriteArrayList<>();
        HttpServer receiver = server(hooks, null);
        String extra = """
                  webhooks: [{url: "http://127.0.0.1:%d/hook"}]
                  strategy:
                    canary:
                      abortScaleDownDelaySeconds: 1
                      scaleDownDelaySeconds: 1
                      analysis: {templates: [{templateName: errors}], startingStep: 1}
                      steps: [{setWeight: 50}, {pause: {}}]
                """.formatted(receiver.getAddress().getPort());
        String masked = "  service: {port: " + port + ", errorMasking: true}\n";
        daemon.apply(Specs.rollout("web", 2, 0, "v1", masked + extra) + JUDGE, dir.toString(), "web.yaml");
        waitForPhase("web", "Complete");

        LoadLoop load = LoadLoop.start(port);
        daemon.apply(Specs.rollout("web", 2, 0, "v2", masked + extra, "--error-rate", "0.2") + JUDGE, dir.toString(), "web.yaml");
        ServiceView aborted = waitForPhase("web", "Aborted");
        var prog = aborted.status().progressive();
        assertThat(prog.state().abortMessage()).contains("background analysis Failed");
        assertThat(prog.weights()).containsExactly(Map.entry(prog.state().stableHash(), 100));
        var metrics = daemon.service("web").proxy().metrics();
        String canary = prog.state().canaryHash();
        assertThat(metrics.total(canary, 5)).as("the canary is charged with its errors").isPositive();
        assertThat(metrics.retries(canary)).as("and each of them was retried on stable").isEqualTo(metrics.total(canary, 5));
        assertThat(load.keys()).as("no user saw the canary's errors").doesNotContain("500", "502", "503", "socket-error");
        await().atMost(Duration.ofSeconds(10)).until(() -> hooks.stream().anyMatch(h -> h.contains("\"event\":\"RolloutAborted\"")));
        assertThat(reasons(hooks)).contains("\"event\":\"RolloutStarted\"", "\"event\":\"StepCompleted\"", "\"event\":\"AnalysisFailed\"",
                "\"service\":\"web\"");
        assertThatThrownBy(() -> daemon.service("web").act(new Verb.Promote(false))).hasMessageContaining("aborted").hasMessageContaining("retry");

        // Retry runs it again from the first step; the judge fails it again.
        daemon.service("web").act(new Verb.Retry());
        await().atMost(Duration.ofSeconds(60)).until(() -> daemon.describe("web").status().progressive().state().runGeneration()
                > prog.state().runGeneration() && daemon.describe("web").phase().equals("Aborted"));

        // A good version: the canary takes half of the traffic at the pause step, and promote finishes it.
        daemon.apply(Specs.rollout("web", 2, 0, "v3", masked + extra) + JUDGE, dir.toString(), "web.yaml");
        ServiceView paused = waitForPhase("web", "Paused");
        assertThat(paused.status().progressive().state().pauseReason()).isEqualTo("CanaryPauseStep");
        assertThat(paused.status().progressive().weights()).containsValues(50, 50);
        int v3Before = load.count("v3");
        await().atMost(Duration.ofSeconds(20)).until(() -> load.count("v3") > v3Before + 20);
        assertThat(daemon.service("web").act(new Verb.Promote(false))).isEqualTo("promoted");
        ServiceView done = waitForPhase("web", "Complete");
        assertThat(done.status().version()).isEqualTo("v3");
        await().atMost(Duration.ofSeconds(20)).until(() -> daemon.describe("web").replicas().stream().allMatch(r -> r.revision() == done.status().revision()));
        load.stop();
        assertThat(load.count("200")).isPositive();
        assertThat(load.keys()).as("every request answered 200, none failed").doesNotContain("500", "502", "503", "socket-error");
        assertThatThrownBy(() -> daemon.service("web").act(new Verb.Abort())).hasMessageContaining("no rollout in progress");
    }

    @Test
    void blueGreenServesThePreviewApartThenSwitchesAndSwitchesBackWhenPostPromotionAnalysisFails() throws Exception {
        daemon = Daemon.open(dir.resolve("state"), 0);
        int port = Loopback.freePort(), previewPort = Loopback.freePort();
        AtomicReference<String> verdict = new AtomicReference<>("{\"data\": {\"ok\": true}}");
        HttpServer web = server(new CopyOnWriteArrayList<>(), verdict);
        String extra = """
                  service: {port: %d}
                  strategy:
                    blueGreen:
                      previewPort: %d
                      previewHeader: {name: X-Preview, value: "1"}
                      autoPromotionEnabled: false
                      scaleDownDelaySeconds: 1
                      abortScaleDownDelaySeconds: 1
                      prePromotionAnalysis: {templates: [{templateName: smoke}]}
                      postPromotionAnalysis: {templates: [{templateName: verdict}], args: [{name: url, value: "http://127.0.0.1:%d/v"}]}
                """.formatted(port, previewPort, web.getAddress().getPort());
        String templates = """
                ---
                apiVersion: rollgate.dev/v1alpha1
                kind: AnalysisTemplate
                metadata: {name: smoke}
                spec:
                  metrics:
                  - name: smoke
                    provider: {job: {command: [sh, -c, "exit 0"]}}
                ---
                apiVersion: rollgate.dev/v1alpha1
                kind: AnalysisTemplate
                metadata: {name: verdict}
                spec:
                  args: [{name: url}]
                  metrics:
                  - name: verdict
                    interval: 500ms
                    count: 4
                    successCondition: result == true
                    provider: {web: {url: "{{args.url}}", jsonPath: "$.data.ok"}}
                """;
        daemon.apply(Specs.rollout("shop", 2, 0, "v1", extra) + templates, dir.toString(), "shop.yaml");
        waitForPhase("shop", "Complete");
        daemon.apply(Specs.rollout("shop", 2, 0, "v2", extra) + templates, dir.toString(), "shop.yaml");
        ServiceView waiting = waitForPhase("shop", "Paused");
        assertThat(waiting.status().progressive().state().pauseReason()).isEqualTo("BlueGreenPause");
        assertThat(get(port)).contains("\"version\":\"v1\"");
        assertThat(get(previewPort)).contains("\"version\":\"v2\"");
        HttpResponse<String> byHeader = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("X-Preview", "1").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(byHeader.body()).contains("\"version\":\"v2\"");

        verdict.set("{\"data\": {\"ok\": false}}");
        daemon.service("shop").act(new Verb.Promote(false));
        ServiceView aborted = waitForPhase("shop", "Aborted");
        assertThat(aborted.status().progressive().state().abortMessage()).contains("post-promotion analysis Failed");
        assertThat(get(port)).contains("\"version\":\"v1\"");

        // Retried with a good verdict: promoted, switched, and the post-promotion analysis passes.
        verdict.set("{\"data\": {\"ok\": true}}");
        daemon.service("shop").act(new Verb.Retry());
        waitForPhase("shop", "Paused");
        daemon.service("shop").act(new Verb.Promote(false));
        ServiceView done = waitForPhase("shop", "Complete");
        assertThat(done.status().version()).isEqualTo("v2");
        assertThat(get(port)).contains("\"version\":\"v2\"");

        // A manual abort while the next preview waits.
        daemon.apply(Specs.rollout("shop", 2, 0, "v3", extra) + templates, dir.toString(), "shop.yaml");
        waitForPhase("shop", "Paused");
        assertThat(daemon.service("shop").act(new Verb.Abort())).isEqualTo("aborted");
        waitForPhase("shop", "Aborted");
        assertThat(get(port)).contains("\"version\":\"v2\"");
        assertThat(daemon.events("shop", 0, 500)).extracting(EventRow::reason)
                .contains("RolloutPromoted", "AnalysisFailed", "RolloutAborted", "Retried", "Promoted");

        // Back to a rolling update: no preview port, no explicit routes, an ordinary rollout.
        daemon.apply(Specs.rollout("shop", 2, port, "v4", "  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}\n"),
                dir.toString(), "shop.yaml");
        ServiceView rolled = waitForPhase("shop", "Complete");
        assertThat(rolled.status().version()).isEqualTo("v4");
        assertThat(rolled.status().progressive()).isNull();
        assertThat(get(port)).contains("\"version\":\"v4\"");
        try (HttpClient fresh = HttpClient.newHttpClient()) { // a new connection: the preview listener is closed
            assertThatThrownBy(() -> fresh.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + previewPort + "/")).build(),
                    HttpResponse.BodyHandlers.discarding())).isInstanceOf(java.net.ConnectException.class);
        }
    }
}
