package dev.rollgate.local.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rollgate.local.process.ProcessGroup;
import dev.rollgate.testkit.Loopback;
import dev.rollgate.view.ServiceView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mirrored traffic, judged, on real replica processes under real traffic: a canary whose copies
 * fail more, or answer 400 ms slower, than stable's answers to the same requests is aborted before
 * a single user request reaches it; a good one goes on to take users' traffic.
 */
class MirrorDaemonTest {

    @TempDir
    Path dir;

    private Daemon daemon;
    private final List<Long> pids = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) daemon.shutdown().get();
        for (long pid : pids) assertThat(ProcessGroup.members(pid)).as("process group " + pid + " left behind").isEmpty();
    }

    /**
     * A latency tolerance of 10× stable's median: +400 ms is far past it even on a busy machine (where
     * stable's median reaches 10 ms), a canary JVM still warming is not; 5 % errors fail by the
     * differences (more than 1 % of 100 pairs).
     */
    private static final String MIRROR_JUDGE = """
            ---
            apiVersion: rollgate.dev/v1alpha1
            kind: AnalysisTemplate
            metadata: {name: mirrored}
            spec:
              metrics:
              - name: mirrored-vs-stable
                initialDelay: 5s
                interval: 500ms
                count: 12
                provider: {judge: {metric: mirror, alpha: 0.001, tolerance: 10}}
            """;

    private static String strategy(int port) {
        return """
                  service: {port: %d}
                  strategy:
                    canary:
                      abortScaleDownDelaySeconds: 1
                      scaleDownDelaySeconds: 1
                      steps:
                      - setCanaryScale: {replicas: 1}
                      - setMirrorRoute: {name: shadow, percentage: 100}
                      - analysis: {templates: [{templateName: mirrored}]}
                      - setMirrorRoute: {name: shadow}
                      - setWeight: 50
                      - pause: {}
                """.formatted(port);
    }

    @Test
    void aCanaryWorseOnMirroredRequestsIsAbortedBeforeAnyUserRequestReachesIt() throws Exception {
        daemon = Daemon.open(dir.resolve("state"), 0);
        int errorsPort = Loopback.freePort(), slowPort = Loopback.freePort();
        daemon.apply(Specs.rollout("errs", 1, 0, "v1", strategy(errorsPort)) + MIRROR_JUDGE, dir.toString(), "errs.yaml");
        daemon.apply(Specs.rollout("slow", 1, 0, "v1", strategy(slowPort)) + MIRROR_JUDGE, dir.toString(), "slow.yaml");
        DaemonAwait.phase(daemon, "errs", "Complete", pids);
        DaemonAwait.phase(daemon, "slow", "Complete", pids);
        LoadLoop errsLoad = LoadLoop.start(errorsPort), slowLoad = LoadLoop.start(slowPort);

        daemon.apply(Specs.rollout("errs", 1, 0, "v2", strategy(errorsPort), "--error-rate", "0.05") + MIRROR_JUDGE, dir.toString(), "errs.yaml");
        daemon.apply(Specs.rollout("slow", 1, 0, "v2", strategy(slowPort), "--latency", "400ms") + MIRROR_JUDGE, dir.toString(), "slow.yaml");
        ServiceView errs = DaemonAwait.phase(daemon, "errs", "Aborted", pids);
        ServiceView slow = DaemonAwait.phase(daemon, "slow", "Aborted", pids);
        assertThat(errs.status().progressive().state().abortMessage()).contains("analysis at step 3 Failed").contains("mirrored-vs-stable");
        assertThat(slow.status().progressive().state().abortMessage()).contains("analysis at step 3 Failed").contains("mirrored-vs-stable");
        for (ServiceView v : List.of(errs, slow)) {
            var metrics = daemon.service(v.name()).proxy().metrics();
            String canary = v.status().progressive().state().canaryHash();
            long userRequests = 0;
            for (int c = 1; c <= 5; c++) userRequests += metrics.total(canary, c);
            assertThat(userRequests + metrics.socketErrors(canary)).as(v.name() + ": no user request reached the canary").isZero();
            assertThat(metrics.mirrored(canary).pairs()).as(v.name() + ": judged on mirrored pairs").isPositive();
        }
        assertThat(errsLoad.keys()).as("users were answered by stable only").containsOnly("200", "v1");
        assertThat(slowLoad.keys()).containsOnly("200", "v1");

        // A good release passes the mirror and goes on to take half of the users' requests.
        daemon.apply(Specs.rollout("errs", 1, 0, "v3", strategy(errorsPort)) + MIRROR_JUDGE, dir.toString(), "errs.yaml");
        ServiceView paused = DaemonAwait.phase(daemon, "errs", "Paused", pids);
        assertThat(paused.status().progressive().weights()).containsValues(50, 50);
        int before = errsLoad.count("v3");
        await().atMost(Duration.ofSeconds(20)).until(() -> errsLoad.count("v3") > before + 20);
        var run = paused.status().progressive().analysis().stream().filter(r -> r.key().startsWith("step-3")).reduce((a, b) -> b).orElseThrow();
        assertThat(run.metrics().getFirst().lastValue()).contains("verdict=Pass").contains("pairs=").contains("mirrored=");
        errsLoad.stop();
        slowLoad.stop();
        assertThat(errsLoad.keys()).doesNotContain("500", "502", "503", "socket-error");
    }
}
