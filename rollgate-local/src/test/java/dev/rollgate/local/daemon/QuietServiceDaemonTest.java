package dev.rollgate.local.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.controller.Verb;
import dev.rollgate.local.process.ProcessGroup;
import dev.rollgate.testkit.Loopback;
import dev.rollgate.view.EventRow;
import dev.rollgate.view.ServiceView;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service no user calls during its canary: Rollgate's own load, routed to each revision by the
 * load header, gives the judge the requests to decide on; a bad canary is aborted, a good one passes;
 * an undo within the rollback window skips the steps.
 */
class QuietServiceDaemonTest {

    @TempDir
    Path dir;

    private Daemon daemon;
    private final List<Long> pids = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) daemon.shutdown().get();
        for (long pid : pids) assertThat(ProcessGroup.members(pid)).as("process group " + pid + " left behind").isEmpty();
    }

    private static final String DRIVEN = """
            ---
            apiVersion: rollgate.dev/v1alpha1
            kind: AnalysisTemplate
            metadata: {name: driven}
            spec:
              metrics:
              - name: load
                provider: {load: {rate: 40, duration: 8s, requests: ["GET /", "GET /?page=2"]}}
              - name: errors-vs-stable
                interval: 500ms
                count: 12
                provider: {judge: {metric: errorRate, alpha: 0.001}}
            """;

    @Test
    void theJudgeOfAQuietServiceDecidesOnRollgatesOwnLoad() throws Exception {
        daemon = Daemon.open(dir.resolve("state"), 0);
        int port = Loopback.freePort();
        String extra = """
                  rollbackWindow: {revisions: 3}
                  service: {port: %d}
                  strategy:
                    canary:
                      abortScaleDownDelaySeconds: 1
                      scaleDownDelaySeconds: 1
                      steps: [{setWeight: 20}, {analysis: {templates: [{templateName: driven}]}}]
                """.formatted(port);
        daemon.apply(Specs.rollout("quiet", 1, 0, "v1", extra) + DRIVEN, dir.toString(), "quiet.yaml");
        DaemonAwait.phase(daemon, "quiet", "Complete", pids);

        daemon.apply(Specs.rollout("quiet", 1, 0, "v2", extra, "--error-rate", "0.3") + DRIVEN, dir.toString(), "quiet.yaml");
        ServiceView aborted = DaemonAwait.phase(daemon, "quiet", "Aborted", pids);
        var state = aborted.status().progressive().state();
        assertThat(state.abortMessage()).contains("analysis at step 2 Failed").contains("errors-vs-stable");
        var metrics = daemon.service("quiet").proxy().metrics();
        // No user sent a request: everything either revision served came from the load metric.
        assertThat(metrics.total(state.canaryHash(), 5)).as("the canary's errors, under Rollgate's load").isPositive();
        assertThat(metrics.total(state.stableHash(), 2)).as("stable had its share of the load too").isPositive();

        daemon.apply(Specs.rollout("quiet", 1, 0, "v3", extra) + DRIVEN, dir.toString(), "quiet.yaml");
        ServiceView done = DaemonAwait.phase(daemon, "quiet", "Complete", pids);
        assertThat(done.status().version()).isEqualTo("v3");
        var run = done.status().progressive() == null ? null : done.status().progressive().analysis().stream()
                .filter(r -> r.key().startsWith("step-2")).reduce((a, b) -> b).orElseThrow();
        assertThat(run).isNotNull();
        assertThat(run.metrics()).anySatisfy(m -> {
            assertThat(m.name()).isEqualTo("load");
            assertThat(m.lastValue()).contains("canaryRequests=").contains("stableRequests=");
        });

        // Back to v1, two revisions back and within the rollback window: no steps, no analysis, no load.
        long stepsBefore = daemon.events("quiet", 0, 1000).stream().filter(e -> e.reason().equals("StepCompleted")).count();
        assertThat(daemon.service("quiet").act(new Verb.Undo(1))).isEqualTo("rolled back to revision 1");
        ServiceView back = DaemonAwait.phase(daemon, "quiet", "Complete", pids);
        assertThat(back.status().version()).isEqualTo("v1");
        assertThat(daemon.events("quiet", 0, 1000)).extracting(EventRow::reason).contains("RollbackWindow");
        assertThat(daemon.events("quiet", 0, 1000).stream().filter(e -> e.reason().equals("StepCompleted")).count())
                .as("no step ran on the way back").isEqualTo(stepsBefore);
    }
}
