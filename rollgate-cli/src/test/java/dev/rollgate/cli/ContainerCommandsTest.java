package dev.rollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.json.Json;
import dev.rollgate.local.container.ContainerRun;
import dev.rollgate.local.container.Podman;
import dev.rollgate.local.container.ThrowawayRegistry;
import dev.rollgate.local.process.ProcessGroup;
import dev.rollgate.local.store.DaemonFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Container replicas as users run them: {@code rollgate up} in the background, a registry on loopback, kill -9 of the daemon. */
class ContainerCommandsTest {

    @TempDir
    Path dir;

    private ThrowawayRegistry registry;

    private Cli.Result rg(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--state-dir");
        all.add(dir.resolve("state").toString());
        return Cli.rollgate(all.toArray(String[]::new));
    }

    @AfterEach
    void down() throws Exception {
        if (DaemonFiles.readAddress(dir.resolve("state")).isPresent()) rg("down");
        List<String> left = containers(true);
        left.forEach(c -> Podman.podman(Duration.ofSeconds(30), "rm", "--force", "--time", "0", c));
        if (registry != null) registry.close();
        assertThat(left).as("containers left behind").isEmpty();
    }

    @Test
    void aDaemonKilledMidContainerRolloutReAdoptsFinishesAndLeavesNoContainerBehind() throws Exception {
        registry = ThrowawayRegistry.start(dir.resolve("registry"));
        Map<String, String> digests = registry.pushDemoImages("v1", "v2");
        assertThat(rg("up").exit()).isZero();

        Path tagged = spec("v1", registry.image("v1"), "");
        Cli.Result refused = rg("apply", "-f", tagged.toString(), "--require-digest");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("spec.template.image").contains("has no digest").doesNotContain("Exception");

        assertThat(rg("apply", "-f", tagged.toString()).exit()).isZero();
        assertThat(rg("rollout", "status", "web", "-w", "--timeout", "90s").exit()).isZero();
        rg("apply", "-f", spec("v2", registry.image("v2"), "").toString());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> get().path("status").path("updated").asInt() >= 1);
        long pid = DaemonFiles.readAddress(dir.resolve("state")).orElseThrow().pid();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> !ProcessGroup.isRunning(pid));

        // While no daemon runs: a container started for this state directory that no replica claims (a start a crash cut off).
        Podman.Result stray = Podman.podman(Duration.ofSeconds(60), "run", "--detach", "--init", "--name", "rollgate-stray-" + pid,
                "--label", ContainerRun.STATE_LABEL + "=" + dir.resolve("state"), "--label", ContainerRun.REPLICA_LABEL + "=web-000000-stray",
                "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024", registry.image("v1"));
        assertThat(stray.ok()).as(stray.output()).isTrue();

        Cli.Result up = rg("up");
        assertThat(up.exit()).as(up.err()).isZero();
        Cli.Result status = rg("rollout", "status", "web", "-w", "--timeout", "90s");
        assertThat(status.exit()).as(status.out()).isZero();
        assertThat(status.out()).contains("successfully rolled out (revision 2, v2)");
        await().atMost(Duration.ofSeconds(30)).until(() -> containers(false).size() == 3);
        assertThat(containers(true)).as("only the three replicas' containers").hasSize(3).noneMatch(c -> c.startsWith("rollgate-stray-"));

        List<String> reasons = Json.MAPPER.readTree(rg("events", "web", "-o", "json").out()).findValuesAsText("reason");
        assertThat(reasons).contains("ImageResolved", "Adopted", "Started");
        List<String> daemonReasons = Json.MAPPER.readTree(rg("events", "-o", "json").out()).findValuesAsText("reason");
        assertThat(daemonReasons).contains("OrphanRemoved");

        String wide = rg("get", "web", "-o", "wide").out();
        assertThat(wide).contains("IMAGE").contains(registry.address() + "/demo-web@" + digests.get("v2"));
        assertThat(rg("get", "web", "-o", "xml").err()).contains("-o: unknown output format 'xml'; use json, yaml or wide");
        String describe = rg("describe", "web").out();
        assertThat(describe).contains("IMAGE").contains(registry.address() + "/demo-web@" + digests.get("v2"));
        String history = rg("rollout", "history", "web").out();
        assertThat(history).contains("@" + digests.get("v1")).contains("@" + digests.get("v2"));

        Cli.Result undo = rg("rollout", "undo", "web");
        assertThat(undo.exit()).as(undo.err()).isZero();
        assertThat(rg("rollout", "status", "web", "-w", "--timeout", "90s").exit()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> runningImages().size() == 3
                && runningImages().stream().allMatch(i -> i.endsWith("@" + digests.get("v1"))));

        assertThat(rg("down").exit()).isZero();
        assertThat(containers(true)).as("down stops every container").isEmpty();
    }

    @Test
    void runInTheForegroundStartsContainersAndItsWatchdogStopsThemWhenRollgateIsKilled() throws Exception {
        registry = ThrowawayRegistry.start(dir.resolve("registry"));
        registry.pushDemoImages("v1");
        int port = dev.rollgate.testkit.Loopback.freePort();
        Path file = spec("v1", registry.image("v1"), "  service: {port: " + port + "}\n");
        Path output = dir.resolve("run.out");
        List<String> argv = List.of(ProcessHandle.current().info().command().orElseThrow(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run", "-f", file.toString(), "--state-dir", dir.resolve("state").toString());
        Process run = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(output).lines().filter(l -> l.contains(" Ready ")).count() >= 3);
            var http = java.net.http.HttpClient.newHttpClient();
            var answer = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/cgi-bin/hello")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(answer.body()).isEqualTo("hello from v1\n");
            assertThat(runningImages()).hasSize(3).allSatisfy(i -> assertThat(i).contains("@sha256:"));
        } finally {
            run.destroyForcibly();   // SIGKILL: no shutdown hook; the watchdog stops what it ran
            run.waitFor();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> containers(true).isEmpty());
    }

    private JsonNode get() throws Exception {
        return Json.MAPPER.readTree(rg("get", "web", "-o", "json").out());
    }

    private Path spec(String version, String image, String extra) throws Exception {
        Path file = dir.resolve("web-" + version + ".yaml");
        Files.writeString(file, """
                apiVersion: rollgate.dev/v1alpha1
                kind: Rollout
                metadata: {name: web}
                spec:
                  replicas: 3
                  progressDeadlineSeconds: 60
                %s  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
                  template:
                    version: %s
                    image: %s
                    startupProbe:   {httpGet: {path: /health/started}, periodSeconds: 1, failureThreshold: 30}
                    readinessProbe: {httpGet: {path: /health/ready}, periodSeconds: 1}
                    terminationGracePeriodSeconds: 5
                """.formatted(extra, version, image));
        return file;
    }

    private List<String> containers(boolean all) {
        List<String> args = new ArrayList<>(List.of("ps"));
        if (all) args.add("--all");
        args.addAll(List.of("--filter", "label=" + ContainerRun.STATE_LABEL + "=" + dir.resolve("state"), "--format", "{{.Names}}"));
        Podman.Result r = Podman.podman(Duration.ofSeconds(30), args);
        return r.output().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private List<String> runningImages() {
        Podman.Result r = Podman.podman(Duration.ofSeconds(30), "ps", "--filter", "label=" + ContainerRun.STATE_LABEL + "=" + dir.resolve("state"),
                "--format", "{{.Image}}");
        return r.output().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
