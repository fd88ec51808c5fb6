package dev.rollgate.local.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rollgate.local.process.ProcessGroup;
import dev.rollgate.testkit.Loopback;
import dev.rollgate.view.EventRow;
import dev.rollgate.view.ServiceView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release that passes its canary and goes bad at full load, on real replica processes under
 * real traffic: with a bake, traffic goes back to the warm previous revision and no user sees an
 * error; without one, beside it, the same release stays and users see its errors.
 */
class BakeDaemonTest {

    @TempDir
    Path dir;

    private Daemon daemon;
    private final List<Long> pids = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) daemon.shutdown().get();
        for (long pid : pids) assertThat(ProcessGroup.members(pid)).as("process group " + pid + " left behind").isEmpty();
    }

    /** During the bake the judge's "stable" is v1's frozen numbers. */
    private static final String JUDGE = Specs.judge("500ms");

    private static String strategy(int port, String bake) {
        return """
                  service: {port: %d, errorMasking: true}
                  strategy:
                    canary:
                      scaleDownDelaySeconds: 1
                      abortScaleDownDelaySeconds: 1
                      steps: [{setWeight: 50}, {pause: {duration: 1s}}]
                %s""".formatted(port, bake);
    }

    @Test
    void aReleaseThatGoesBadDuringTheBakeIsTakenBackToTheWarmRevisionUnseen() throws Exception {
        daemon = Daemon.open(dir.resolve("state"), 0);
        int bakedPort = Loopback.freePort(), plainPort = Loopback.freePort();
        Path bad = dir.resolve("v2-goes-bad");
        String bake = "      bake: {duration: 5m, keepPrevious: 1, analysis: {templates: [{templateName: errors}]}}\n";
        String[] v2 = {"--error-rate", "0.3", "--errors-when", bad.toString()};
        daemon.apply(Specs.rollout("baked", 1, 0, "v1", strategy(bakedPort, bake)) + JUDGE, dir.toString(), "baked.yaml");
        daemon.apply(Specs.rollout("plain", 1, 0, "v1", strategy(plainPort, "")), dir.toString(), "plain.yaml");
        DaemonAwait.phase(daemon, "baked", "Complete", pids);
        DaemonAwait.phase(daemon, "plain", "Complete", pids);

        LoadLoop baked = LoadLoop.start(bakedPort), plain = LoadLoop.start(plainPort);
        await().atMost(Duration.ofSeconds(20)).until(() -> baked.count("200") > 200 && plain.count("200") > 200);
        daemon.apply(Specs.rollout("baked", 1, 0, "v2", strategy(bakedPort, bake), v2) + JUDGE, dir.toString(), "baked.yaml");
        daemon.apply(Specs.rollout("plain", 1, 0, "v2", strategy(plainPort, ""), v2), dir.toString(), "plain.yaml");
        await().atMost(Duration.ofSeconds(90)).until(() -> daemon.events("baked", 0, 500).stream().anyMatch(e -> e.reason().equals("BakeStarted")));
        DaemonAwait.phase(daemon, "plain", "Complete", pids);
        ServiceView baking = daemon.describe("baked");
        assertThat(baking.status().progressive().state().baking()).isTrue();
        String v1 = baking.status().progressive().state().scaleDownHash(), v2Hash = baking.status().progressive().state().stableHash();
        // The previous revision is warm: a replica running and ready, out of routing.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            ServiceView v = daemon.describe("baked");
            return v.replicas().stream().anyMatch(r -> r.revision() < v.status().revision() && r.ready());
        });
        int v2Served = baked.count("v2");
        await().atMost(Duration.ofSeconds(20)).until(() -> baked.count("v2") > v2Served + 100);
        int v1BeforeFlip = baked.count("v1");

        Files.createFile(bad); // v2 answers 30 % of requests with 500 from now on, at full load
        ServiceView back = DaemonAwait.phase(daemon, "baked", "RolledBack", pids);
        assertThat(back.status().version()).isEqualTo("v1");
        assertThat(back.status().abortMessage()).contains("rolled back during its bake").contains("bake analysis Failed");
        assertThat(daemon.events("baked", 0, 500)).extracting(EventRow::reason)
                .contains("RolloutPromoted", "BakeStarted", "AnalysisFailed", "BakeRolledBack")
                .doesNotContain("BakeCompleted");
        await().atMost(Duration.ofSeconds(20)).until(() -> baked.count("v1") > v1BeforeFlip + 100);
        await().atMost(Duration.ofSeconds(20)).until(() -> plain.count("500") > 20);
        baked.stop();
        plain.stop();

        var metrics = daemon.service("baked").proxy().metrics();
        assertThat(metrics.total(v2Hash, 5)).as("v2 was charged with its errors").isPositive();
        assertThat(metrics.retries(v2Hash)).as("each one retried on the warm v1").isEqualTo(metrics.total(v2Hash, 5));
        assertThat(baked.keys()).as("no user of the baked service saw an error").doesNotContain("500", "502", "503", "socket-error");
        assertThat(metrics.total(v1, 2)).as("v1 served before the rollout and again after the flip").isGreaterThan(v1BeforeFlip);

        // The DORA figures: the baked service's v2 is a failed change, restored; the plain one's v2 looks like a success.
        var figures = daemon.stats("baked", java.time.Instant.now().minus(Duration.ofDays(30))).getFirst();
        assertThat(figures.deployments()).isEqualTo(2);
        assertThat(figures.failed()).isEqualTo(1);
        assertThat(figures.changeFailureRate()).isEqualTo(0.5);
        assertThat(figures.timeToRestoreMedian()).isNotNull();
        var unnoticed = daemon.stats("plain", java.time.Instant.now().minus(Duration.ofDays(30))).getFirst();
        assertThat(unnoticed.changeFailureRate()).isEqualTo(0.0);
        assertThat(daemon.metrics()).contains("rollgate_change_failure_ratio{service=\"baked\"} 0.500",
                "rollgate_change_failure_ratio{service=\"plain\"} 0.000");

        ServiceView stayed = daemon.describe("plain");
        assertThat(stayed.phase()).as("without a bake nothing catches the same release").isEqualTo("Complete");
        assertThat(stayed.status().version()).isEqualTo("v2");
        assertThat(plain.keys()).contains("500");
    }
}
