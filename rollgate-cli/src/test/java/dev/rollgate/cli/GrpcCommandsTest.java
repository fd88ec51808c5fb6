package dev.rollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rollgate.testkit.GrpcLoad;
import dev.rollgate.testkit.GrpcTestServer;
import dev.rollgate.testkit.Loopback;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A gRPC service as users run it: replicas that speak h2c ({@code service.upstreamProtocol: h2c}),
 * readiness by the gRPC health check, clients of grpc-java calling the service's port. A rolling
 * update under their load fails no call; a canary whose calls fail is aborted by the judge.
 */
class GrpcCommandsTest extends DaemonCliFixture {

    private Path grpcSpec(int port, String version, String strategy, String... serverArgs) throws IOException {
        String argv = javaArgv(GrpcTestServer.class, version, serverArgs);
        String yaml = """
                apiVersion: rollgate.dev/v1alpha1
                kind: Rollout
                metadata: {name: echo}
                spec:
                  replicas: 2
                  progressDeadlineSeconds: 120
                  service: {port: %d, upstreamProtocol: h2c}
                %s
                  template:
                    version: %s
                    command: [%s]
                    startupProbe:   {grpc: {}, periodSeconds: 1, timeoutSeconds: 5, failureThreshold: 60}
                    readinessProbe: {grpc: {service: rollgate.test.Echo}, periodSeconds: 1, timeoutSeconds: 5}
                    terminationGracePeriodSeconds: 10
                ---
                apiVersion: rollgate.dev/v1alpha1
                kind: AnalysisTemplate
                metadata: {name: canary-vs-stable}
                spec:
                  metrics:
                  - name: errors
                    interval: 1s
                    provider: {judge: {metric: errorRate}}
                """.formatted(port, strategy, version, argv);
        Path file = dir.resolve("echo-" + version + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void aRollingUpdateUnderGrpcLoadFailsNoCall() throws Exception {
        int port = Loopback.freePort();
        String rolling = "  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}";
        assertThat(rg("up").exit()).isZero();
        assertThat(rg("apply", "-f", grpcSpec(port, "v1", rolling).toString()).exit()).isZero();
        assertThat(rg("rollout", "status", "echo", "-w", "--timeout", "90s").exit()).isZero();
        assertThat(rg("events", "echo").out()).containsPattern("Ready +echo-[0-9a-f]+-[a-z0-9]+ +gRPC probe of rollgate.test.Echo on port [0-9]+: SERVING");
        describe("echo");

        GrpcLoad.Report report;
        try (GrpcLoad load = GrpcLoad.start(port, 4)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> load.ok() > 50);
            rg("apply", "-f", grpcSpec(port, "v2", rolling).toString());
            Cli.Result status = rg("rollout", "status", "echo", "-w", "--timeout", "120s");
            describe("echo");
            assertThat(status.exit()).as(status.out()).isZero();
            long before = load.ok();
            await().atMost(Duration.ofSeconds(30)).until(() -> load.ok() > before + 50);
            report = load.stop();
        }
        assertThat(report.failures()).as("%s", report).isZero();
        assertThat(report.versions()).containsKeys("v1", "v2");
    }

    @Test
    void aCanaryWhoseCallsFailIsAbortedByTheJudge() throws Exception {
        int port = Loopback.freePort();
        String canary = "  strategy:\n    canary:\n      abortScaleDownDelaySeconds: 1\n      scaleDownDelaySeconds: 1\n"
                + "      analysis: {templates: [{templateName: canary-vs-stable}]}\n      steps: [{setWeight: 50}, {pause: {duration: 120s}}]";
        assertThat(rg("up").exit()).isZero();
        Cli.Result applied = rg("apply", "-f", grpcSpec(port, "v1", canary).toString());
        assertThat(applied.exit()).as(applied.err()).isZero();
        Cli.Result first = rg("rollout", "status", "echo", "-w", "--timeout", "90s");
        assertThat(first.exit()).as(first.out() + first.err()).isZero();
        describe("echo");

        try (GrpcLoad load = GrpcLoad.start(port, 4)) {
            rg("apply", "-f", grpcSpec(port, "v2", canary, "--fail-rate", "0.3").toString());
            Cli.Result status = rg("rollout", "status", "echo", "-w", "--timeout", "120s");
            describe("echo");
            assertThat(status.exit()).as(status.out()).isEqualTo(1);
            assertThat(status.out()).contains("aborted");
            GrpcLoad.Report report = load.stop();
            assertThat(report.failures()).as("the canary's errors, until the judge stopped it").isPositive();
        }
        assertThat(rg("events", "echo").out()).containsPattern("AnalysisFailed +echo +background analysis Failed \\(metric errors: 1 failed")
                .containsPattern("RolloutAborted +echo +revision 2 \\(v2\\) aborted");
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            var replicas = describe("echo").path("replicas");
            return replicas.size() == 2 && replicas.get(0).path("revision").asInt() == 1 && replicas.get(1).path("revision").asInt() == 1;
        });
    }
}
