package dev.rollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rollgate.demo.DemoService;
import dev.rollgate.local.process.ProcessGroup;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code rollgate run} as a real process: what it prints, how it stops, and what it leaves behind (nothing). */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RunCommandTest {

    static final Pattern STARTED = Pattern.compile("started pid (\\d+) on port (\\d+)");

    @TempDir
    Path dir;

    Process rollgate;
    Path outputFile;

    @AfterEach
    void cleanUp() {
        if (rollgate != null && rollgate.isAlive()) rollgate.destroyForcibly();
    }

    Path spec(int replicas, String... demoOptions) throws Exception {
        return specWith(replicas, "", demoOptions);
    }

    Path specWith(int replicas, String extraSpec, String... demoOptions) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String classes = Path.of(DemoService.class.getProtectionDomain().getCodeSource().getLocation().toURI()) + File.pathSeparator
                + Path.of(dev.rollgate.health.Health.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> argv = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m", "-cp", classes,
                DemoService.class.getName()));
        argv.addAll(List.of(demoOptions));
        Path spec = dir.resolve("spec.yaml");
        Files.writeString(spec, """
                apiVersion: rollgate.dev/v1alpha1
                kind: Rollout
                metadata: {name: svc}
                spec:
                  replicas: %d
                %s
                  template:
                    command: [%s]
                    readinessProbe: {httpGet: {path: /health/ready}, periodSeconds: 1}
                    livenessProbe: {httpGet: {path: /health/live}, periodSeconds: 1, failureThreshold: 2}
                    terminationGracePeriodSeconds: 3
                """.formatted(replicas, extraSpec, String.join(", ", argv.stream().map(a -> "'" + a + "'").toList())));
        return spec;
    }

    void startRollgate(String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> argv = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        argv.addAll(List.of(args));
        // To a file, not a pipe: a pipe read while the process exits can lose its last lines ("Stream closed").
        outputFile = dir.resolve("rollgate.out");
        rollgate = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(outputFile.toFile()).start();
    }

    List<String> output() {
        try {
            return Files.readAllLines(outputFile);
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    List<Long> replicaPids() {
        List<Long> pids = new ArrayList<>();
        for (String line : output()) {
            Matcher m = STARTED.matcher(line);
            if (m.find()) pids.add(Long.parseLong(m.group(1)));
        }
        return pids;
    }

    long readyLines() {
        return output().stream().filter(l -> l.contains(" Ready ")).count();
    }

    @Test
    void sigtermStopsEveryReplicaInOrderAndExitsZero() throws Exception {
        startRollgate("run", "-f", spec(2).toString(), "--state-dir", dir.resolve("state").toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> readyLines() >= 2);
        assertThat(output()).anySatisfy(l -> assertThat(l).contains("svc-0").contains("Running (ready)").contains("Ready"));
        List<Long> pids = replicaPids();

        rollgate.destroy(); // SIGTERM
        assertThat(rollgate.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(rollgate.exitValue()).isZero();
        assertThat(output()).contains("rollgate run: all replicas stopped");
        assertThat(output().stream().filter(l -> l.contains(" Terminated ")).count()).isEqualTo(2);
        assertThat(pids).hasSize(2).allSatisfy(pid -> assertThat(ProcessGroup.members(pid)).isEmpty());
        assertThat(dir.resolve("state/logs/svc/svc-0.log")).content().contains("SIGTERM received");
    }

    @Test
    void replicasDoNotOutliveRollgateKilledWithSigkill() throws Exception {
        startRollgate("run", "-f", spec(2, "--spawn-child").toString(), "--state-dir", dir.resolve("state").toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> readyLines() >= 2);
        List<Long> pids = replicaPids();
        List<Long> everything = new ArrayList<>();
        for (long pid : pids) {
            await().atMost(Duration.ofSeconds(5)).until(() -> ProcessGroup.members(pid).size() >= 2); // the service and its child
            everything.addAll(ProcessGroup.members(pid));
        }

        rollgate.destroyForcibly(); // SIGKILL: no shutdown hook runs
        rollgate.waitFor();

        // The watchdog sees Rollgate's end of its pipe close and stops every group: SIGTERM, then SIGKILL after the grace period.
        await().atMost(Duration.ofSeconds(15)).until(() -> pids.stream().allMatch(pid -> ProcessGroup.members(pid).isEmpty()));
        assertThat(everything).hasSizeGreaterThanOrEqualTo(4)
                .allSatisfy(pid -> assertThat(ProcessGroup.isRunning(pid)).as("pid %d running", pid).isFalse());
        assertThat(dir.resolve("state/logs/svc/svc-1.log")).content().contains("SIGTERM received");
    }

    @Test
    void anInvalidSpecStartsNothing() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "apiVersion: rollgate.dev/v1alpha1\nkind: Rollout\nmetadata: {name: x}\nspec: {template: {command: []}}\n");
        startRollgate("run", "-f", bad.toString(), "--state-dir", dir.resolve("state").toString());
        assertThat(rollgate.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(rollgate.exitValue()).isEqualTo(1);
        assertThat(output()).containsExactly(bad + ": spec.template.command: needs at least 1 item (line 4)");
        assertThat(dir.resolve("state")).doesNotExist();
    }

    @Test
    void trafficThroughTheServiceProxyLosesNothingWhileAReplicaIsKilledAndRestarted() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        startRollgate("run", "-f", specWith(2, "  service: {port: " + port + "}").toString(), "--state-dir", dir.resolve("state").toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> readyLines() >= 2);
        int svc0Port = output().stream().filter(l -> l.contains("svc-0") && l.contains("started pid")).map(l -> {
            Matcher m = STARTED.matcher(l);
            return m.find() ? Integer.parseInt(m.group(2)) : 0;
        }).findFirst().orElseThrow();

        var client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        var uri = java.net.URI.create("http://127.0.0.1:" + port + "/");
        var running = new java.util.concurrent.atomic.AtomicBoolean(true);
        var ok = new java.util.concurrent.atomic.AtomicInteger();
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Thread> load = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            load.add(Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    try {
                        var r = client.send(java.net.http.HttpRequest.newBuilder(uri).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) ok.incrementAndGet();
                        else failures.add(r.statusCode() + " " + r.body());
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            }));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> ok.get() > 200);
        // svc-0's liveness starts failing: the kubelet rules kill it (out of traffic and drained first), then restart it.
        client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + svc0Port + "/control/live?value=false")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        await().atMost(Duration.ofSeconds(40)).until(() -> output().stream().filter(l -> l.contains("svc-0") && l.contains(" Ready ")).count() >= 2);
        int afterRestart = ok.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> ok.get() > afterRestart + 200);
        running.set(false);
        for (Thread t : load) t.join();

        assertThat(failures).as("requests that failed through the proxy").isEmpty();
        assertThat(output()).anySatisfy(l -> assertThat(l).contains("svc-0").contains("Drained"));
        assertThat(output()).anySatisfy(l -> assertThat(l).contains("svc-0").contains("restarting failed replica at once"));
        rollgate.destroy();
        assertThat(rollgate.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(rollgate.exitValue()).isZero();
    }
}
