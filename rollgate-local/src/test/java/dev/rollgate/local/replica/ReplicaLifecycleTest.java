package dev.rollgate.local.replica;

import dev.rollgate.local.process.ProcessGroup;
import static dev.rollgate.local.replica.DemoReplicas.command;
import static dev.rollgate.local.replica.DemoReplicas.config;
import static dev.rollgate.local.replica.DemoReplicas.http;
import static dev.rollgate.local.replica.DemoReplicas.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rollgate.spec.Handler;
import dev.rollgate.spec.Probe;
import dev.rollgate.spec.Template;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real replicas (the demo service in small JVMs) on loopback ports, probed and stopped as the kubelet does. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReplicaLifecycleTest {

    @TempDir
    Path dir;

    final Recorder recorder = new Recorder();
    final List<Replica> running = new ArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stopEverything() {
        running.forEach(r -> r.stop().join());
    }

    Replica start(String id, Template template) {
        Replica r = new Replica(id, template, config(dir, recorder)).start();
        running.add(r);
        return r;
    }

    void control(Replica r, String what, boolean value) throws Exception {
        var req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.status().port() + "/control/" + what + "?value=" + value)).build();
        assertThat(http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    static Duration seconds(double s) {
        return Duration.ofMillis((long) (s * 1000));
    }

    @Test
    void startupProbeGatesReadinessWhichIsProbedAtOnceWhenStartupSucceeds() {
        // Readiness every 10 s: if it waited for its next tick instead of being triggered, Ready would come late.
        Probe startup = http("/health/started", 1, 1, 30);
        Probe readiness = http("/health/ready", 10, 1, 3);
        Replica r = start("gated-0", template(command("--startup-delay", "2s"), startup, readiness, null, null, 5));

        await().atMost(Duration.ofSeconds(20)).until(() -> r.status().ready());

        ReplicaEvent started = recorder.first(e -> e.reason().equals("Started") && e.message().startsWith("startup probe succeeded"));
        ReplicaEvent ready = recorder.first(e -> e.reason().equals("Ready"));
        assertThat(recorder.indexOf("Started", "startup probe succeeded")).isLessThan(recorder.indexOf("Ready", ""));
        assertThat(Recorder.between(started, ready)).isLessThan(Duration.ofSeconds(3));
        assertThat(recorder.events("Unhealthy")).allSatisfy(e -> assertThat(e.message()).startsWith("Startup probe failed"));
        assertThat(recorder.events("Unhealthy")).isNotEmpty();
        assertThat(r.status().state()).isEqualTo(ReplicaState.RUNNING);
    }

    @Test
    void readinessThresholdsCountOnlyConsecutiveResults() throws Exception {
        Probe readiness = http("/health/ready", 1, 2, 3);
        Replica r = start("ready-0", template(command(), null, readiness, null, null, 5));
        await().atMost(Duration.ofSeconds(15)).until(() -> r.status().ready());

        control(r, "ready", false);
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.has("Unhealthy", "(2 in a row)"));
        control(r, "ready", true); // one success breaks the run of failures
        int mark = recorder.probes.size();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> recorder.probes.subList(mark, recorder.probes.size()).contains("readiness SUCCESS"));
        int failuresBefore = recorder.events("Unhealthy").size();
        assertThat(r.status().ready()).as("two failures never reach failureThreshold 3").isTrue();

        control(r, "ready", false);
        await().atMost(Duration.ofSeconds(15)).until(() -> !r.status().ready());
        List<String> failureRuns = recorder.events("Unhealthy").subList(failuresBefore, recorder.events("Unhealthy").size())
                .stream().map(ReplicaEvent::message).toList();
        assertThat(failureRuns).hasSize(2);
        assertThat(failureRuns.get(0)).contains("(1 in a row)");
        assertThat(failureRuns.get(1)).contains("(2 in a row)");
        assertThat(r.status().state()).as("readiness never restarts a replica").isEqualTo(ReplicaState.RUNNING);

        control(r, "ready", true);
        await().atMost(Duration.ofSeconds(10)).until(() -> r.status().ready());
        assertThat(r.status().restarts()).isZero();
    }

    @Test
    void livenessFailureKillsTheReplicaAndRestartsItAfterTheBackOff() throws Exception {
        Probe liveness = http("/health/live", 1, 1, 2);
        Replica r = start("live-0", template(command(), null, http("/health/ready", 1, 1, 3), liveness, null, 5));
        await().atMost(Duration.ofSeconds(15)).until(() -> r.status().ready());
        long firstPid = r.status().pid();

        control(r, "live", false);
        await().atMost(Duration.ofSeconds(20)).until(() -> r.status().restarts() == 1 && r.status().ready());

        assertThat(r.status().pid()).isNotEqualTo(firstPid);
        assertThat(ProcessGroup.isRunning(firstPid)).isFalse();
        assertThat(recorder.has("Unhealthy", "Liveness probe failed 2 times in a row")).isTrue();
        int killing = recorder.indexOf("Killing", "Liveness probe failed");
        int notReady = recorder.indexOf("NotReady", "removed from traffic");
        int backOff = recorder.indexOf("Restarting", "restarting failed replica at once");
        assertThat(notReady).isGreaterThan(-1).isLessThan(killing);
        assertThat(backOff).isGreaterThan(killing);
    }

    @Test
    void aLongCommandLineIsAbbreviatedInItsEvents() {
        String huge = "v".repeat(100_000);
        Replica r = start("long-0", template(command("--version", huge, "--crash-after", "100ms"), null, null, null, null, 5));
        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.events("Started").size() >= 2);
        assertThat(recorder.events("Started")).allSatisfy(e -> assertThat(e.message()).hasSizeLessThan(300).endsWith("…"));
        assertThat(r.status().restarts()).isPositive();
    }

    @Test
    void aCrashingReplicaBacksOffDoublingToTheCap() {
        Replica r = start("crash-0", template(command("--crash-after", "100ms"), null, null, null, null, 5));
        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.events("BackOff").size() >= 5);
        // As the kubelet: the first exit is restarted at once, the next ones after a doubling back-off.
        assertThat(recorder.events("Restarting")).extracting(ReplicaEvent::message).startsWith("restarting failed replica at once (first failure in a row)");
        assertThat(recorder.events("BackOff")).extracting(ReplicaEvent::message).startsWith(
                "back-off 0.3s restarting failed replica",
                "back-off 0.6s restarting failed replica",
                "back-off 1.2s restarting failed replica",
                "back-off 1.2s restarting failed replica");
        // The waits are real: each restart comes at least its back-off after the exit before it.
        List<ReplicaEvent> exits = recorder.events("Exited");
        List<ReplicaEvent> starts = recorder.events.stream().filter(e -> e.reason().equals("Started") && e.message().startsWith("started pid")).toList();
        long[] expected = {0, 300, 600, 1200, 1200};
        for (int i = 0; i < expected.length; i++) {
            assertThat(Recorder.between(exits.get(i), starts.get(i + 1))).isGreaterThanOrEqualTo(Duration.ofMillis(expected[i]));
        }
        assertThat(exits.getFirst().message()).startsWith("exited with code 3: ").contains("crashing on purpose");
        assertThat(r.status().restarts()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void sigkillComesAtTheGraceDeadlineAndTakesTheWholeProcessTree() throws Exception {
        Replica r = start("stubborn-0", template(command("--ignore-sigterm", "--spawn-child"), null, http("/health/ready", 1, 1, 3), null, null, 2));
        await().atMost(Duration.ofSeconds(15)).until(() -> r.status().ready());
        long pid = r.status().pid();
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessGroup.members(pid).size() >= 2);
        List<Long> tree = ProcessGroup.members(pid);

        long begin = System.nanoTime();
        r.stop().get(20, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - begin);

        assertThat(took).isBetween(seconds(1.5), seconds(2.5));
        assertThat(recorder.has("Killed", "sent SIGKILL")).isTrue();
        assertThat(tree).allSatisfy(p -> assertThat(ProcessGroup.isRunning(p)).as("pid %d running", p).isFalse());
        assertThat(ProcessGroup.members(pid)).isEmpty();
        assertThat(Files.readString(r.log().file())).contains("ignoring SIGTERM");
    }

    @Test
    void terminationGoesNotReadyThenPreStopThenSigterm() throws Exception {
        Handler preStop = new Handler.Sleep(1);
        Replica r = start("polite-0", template(command(), null, http("/health/ready", 1, 1, 3), null, preStop, 10));
        await().atMost(Duration.ofSeconds(15)).until(() -> r.status().ready());

        r.stop().get(20, TimeUnit.SECONDS);

        assertThat(recorder.indexOf("NotReady", "")).isLessThan(recorder.indexOf("Killing", ""));
        assertThat(recorder.indexOf("Killing", "")).isLessThan(recorder.indexOf("PreStop", "sleep 1s"));
        ReplicaEvent preStopEvent = recorder.first(e -> e.reason().equals("PreStop"));
        String log = Files.readString(r.log().file());
        String sigtermLine = log.lines().filter(l -> l.contains("SIGTERM received")).findFirst().orElseThrow();
        var sigtermAt = java.time.Instant.parse(sigtermLine.substring(0, sigtermLine.indexOf(' ')));
        assertThat(Duration.between(preStopEvent.time(), sigtermAt)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(recorder.has("Terminated", "exited with code 0")).isTrue();
        assertThat(recorder.events("Killed")).isEmpty();
    }

    @Test
    void aPreStopHookThatOutlivesTheGracePeriodGetsTheTwoSecondExtension() throws Exception {
        Replica r = start("hook-0", template(command("--ignore-sigterm"), null, http("/health/ready", 1, 1, 3), null, new Handler.Sleep(30), 1));
        await().atMost(Duration.ofSeconds(15)).until(() -> r.status().ready());

        long begin = System.nanoTime();
        r.stop().get(20, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - begin);

        assertThat(took).isBetween(seconds(2.5), seconds(3.6)); // 1 s grace for preStop, then 2 s for SIGTERM, then SIGKILL
        assertThat(recorder.has("FailedPreStopHook", "still running after the grace period; 2s extension")).isTrue();
        assertThat(recorder.has("Killed", "sent SIGKILL")).isTrue();
    }

    @Test
    void aMissingCommandIsReportedAndTheOtherReplicasKeepRunning() {
        Replica broken = start("broken-0", template(List.of("no-such-server-binary", "--port", "$(PORT)"), null, null, null, null, 5));
        Replica fine = start("fine-0", template(command(), null, http("/health/ready", 1, 1, 3), null, null, 5));

        await().atMost(Duration.ofSeconds(15)).until(() -> fine.status().ready() && broken.status().state() == ReplicaState.FAILED);
        assertThat(recorder.first(e -> e.replica().equals("broken-0") && e.reason().equals("Failed")).message())
                .isEqualTo("command no-such-server-binary not found on PATH");
        assertThat(broken.status().reason()).isEqualTo("Failed");
    }

    @Test
    void aPortThatCannotBeBoundIsNamedWhenTheReplicaExits() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Replica r = start("clash-0", template(command("--port", Integer.toString(taken.getLocalPort())), null, null, null, null, 5));
            await().atMost(Duration.ofSeconds(15)).until(() -> !recorder.events("Exited").isEmpty());
            assertThat(recorder.events("Exited").getFirst().message())
                    .startsWith("exited with code 1: demo-service: cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .contains("Address already in use");
            assertThat(recorder.events("Exited").getFirst().replica()).isEqualTo(r.id());
        }
    }

    @Test
    void aProbeAtAClosedPortKeepsTheReplicaRunningButNotReady() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Probe wrongPort = new Probe(new Handler.HttpGet("/health/ready", closed, "127.0.0.1", "HTTP", List.of()), 0, 1, 1, 1, 3, null);
        Replica r = start("misprobed-0", template(command(), null, wrongPort, null, null, 5));
        await().atMost(Duration.ofSeconds(15)).until(() -> recorder.has("Unhealthy", "(2 in a row)"));
        assertThat(recorder.first(e -> e.reason().equals("Unhealthy")).message())
                .contains("port " + closed).contains("Connection refused");
        assertThat(r.status().state()).isEqualTo(ReplicaState.RUNNING);
        assertThat(r.status().ready()).isFalse();
    }
}
