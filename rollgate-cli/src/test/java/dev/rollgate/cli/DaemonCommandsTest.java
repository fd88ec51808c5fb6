package dev.rollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.json.Json;
import dev.rollgate.local.process.ProcessGroup;
import dev.rollgate.local.store.DaemonFiles;
import dev.rollgate.testkit.Loopback;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The daemon as users run it: {@code rollgate up} in the background, the verbs against it, real replica processes. */
class DaemonCommandsTest extends DaemonCliFixture {

    @Test
    void everyVerbWorksAgainstABackgroundDaemonAndBadInputGetsWords() throws Exception {
        Cli.Result none = rg("get");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("no Rollgate daemon is running for state directory").contains("rollgate up --state-dir");
        assertThat(rg("dashboard").err()).contains("no Rollgate daemon is running for state directory");

        Cli.Result up = rg("up");
        assertThat(up.exit()).as(up.err()).isZero();
        assertThat(up.out()).contains("daemon started (pid");
        assertThat(Files.getPosixFilePermissions(dir.resolve("state/token"))).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("state/daemon.log"))))
                .as("the daemon's log, written by 'up'").isEqualTo("rw-------");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("state"))))
                .isEqualTo("rwx------");
        assertThat(rg("up").out()).contains("already running");
        Cli.Result dashboard = rg("dashboard");
        assertThat(dashboard.exit()).isZero();
        assertThat(dashboard.out()).contains("http://127.0.0.1:" + DaemonFiles.readAddress(dir.resolve("state")).orElseThrow().port() + "/ui/",
                "log in with the token in " + dir.resolve("state/token"));

        assertThat(rg("apply", "-f", spec("web", 2, 0, "v1", "").toString()).out()).contains("service/web created");
        Cli.Result status = rg("rollout", "status", "web", "--watch", "--timeout", "90s");
        assertThat(status.exit()).as(status.out() + status.err()).isZero();
        assertThat(status.out()).contains("service web successfully rolled out (revision 1, v1)");
        describe("web");

        Cli.Result get = rg("get");
        assertThat(get.out()).containsPattern("NAME\\s+REVISION\\s+VERSION\\s+READY").containsPattern("web\\s+1\\s+v1\\s+2/2\\s+2\\s+2\\s+Complete");
        assertThat(rg("get", "web", "-o", "wide").out()).as("the daemon's table, wide: no port, a process (no image)")
                .containsPattern("NAME\\s+REVISION.*\\s+AGE\\s+IMAGE\n").containsPattern("(?m)^web\\s+1\\s+v1\\s+2/2\\s+2\\s+2\\s+Complete\\s+-\\s+\\S+\\s+-$");
        Cli.Result yaml = rg("get", "web", "-o", "yaml");
        assertThat(yaml.out()).contains("name: web").contains("phase: Complete");
        Cli.Result text = rg("describe", "web");
        assertThat(text.out()).contains("Replicas:           2 desired | 2 updated | 2 total | 2 ready | 2 available")
                .contains("Progressing   True     NewReplicaSetAvailable").contains("RolloutCompleted");

        assertThat(rg("apply", "-f", spec("web", 2, 0, "v2", "").toString()).out()).contains("service/web configured");
        assertThat(rg("rollout", "status", "web", "-w", "--timeout", "90s").exit()).isZero();
        describe("web");
        Cli.Result history = rg("rollout", "history", "web");
        assertThat(history.out()).containsPattern("1\\s+v1").containsPattern("2 \\(current\\)\\s+v2");
        Cli.Result undo = rg("rollout", "undo", "web", "--to-revision", "1");
        assertThat(undo.out()).contains("service/web rolled back to revision 1");
        assertThat(rg("rollout", "status", "web", "-w", "--timeout", "90s").out()).contains("successfully rolled out (revision 3, v1)");
        describe("web");

        Cli.Result events = rg("events", "web");
        assertThat(events.out()).contains("RolloutStarted").contains("ScalingReplicaSet").contains("RollbackStarted").contains("RolloutCompleted");
        // The DORA figures of that history: v1 and v2 deployed, v2 undone (a failed change); the undo itself is no deployment.
        Cli.Result stats = rg("stats", "web");
        assertThat(stats.exit()).as(stats.err()).isZero();
        assertThat(stats.out()).containsPattern("web\\s+2\\s+0\\s+[0-9.]+\\s+\\S+ / \\S+\\s+50% \\(1 of 2\\)\\s+\\S+s");
        assertThat(rg("stats", "web", "-o", "json").out()).contains("\"failed\" : 1", "\"succeeded\" : 1");
        assertThat(rg("stats", "--since", "soon").err()).contains("--since: not a period like 30d, 24h or 90m: soon");
        String replica = describe("web").path("replicas").get(0).path("id").asText();
        Cli.Result logs = rg("logs", "web", "--replica", replica);
        assertThat(logs.exit()).as(logs.err()).isZero();
        assertThat(logs.out()).contains("listening on 127.0.0.1:");

        // Bad input: named, nothing lost.
        Files.writeString(dir.resolve("bad.yaml"), "apiVersion: rollgate.dev/v1alpha1\nkind: Rollout\nmetadata: {name: web}\nspec:\n  replicas: two\n");
        Cli.Result bad = rg("apply", "-f", dir.resolve("bad.yaml").toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("nothing was applied").contains("spec.replicas").doesNotContain("Exception");
        assertThat(describe("web").path("status").path("revision").asInt()).isEqualTo(3);
        assertThat(rg("describe", "nope").err()).contains("service nope not found; services: web");
        assertThat(rg("rollout", "undo", "web", "--to-revision", "9").err()).contains("revision 9 of web not found");
        assertThat(rg("rollout", "status", "web", "-w", "--timeout", "soon").err()).contains("--timeout: 'soon' is not a duration");
        assertThat(rg("get", "-o", "xml").err()).contains("unknown output format 'xml'");

        // logs -f follows every replica, through the service's deletion: the replicas' shutdown lines arrive.
        Path followed = dir.resolve("follow.txt");
        Process follow = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "logs", "web", "-f", "--tail", "1", "--state-dir", state())
                .redirectErrorStream(true).redirectOutput(followed.toFile()).start();
        try {
            // --tail 1 prints each replica's last line once the follower has found the replicas.
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(followed).contains("[web-"));
            Cli.Result delete = rg("delete", "web");
            assertThat(delete.out()).contains("service/web deleted");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(Files.readString(followed)).contains("shutdown: SIGTERM received"));
        } finally {
            follow.destroyForcibly();
        }
        assertThat(rg("get").out()).contains("No services.");
        Cli.Result down = rg("down");
        assertThat(down.out()).contains("daemon stopped");
    }

    @Test
    void aDaemonKilledMidRolloutIsRestartedAndTheRolloutCompletesWithNothingOrphaned() throws Exception {
        assertThat(rg("up").exit()).isZero();
        rg("apply", "-f", spec("api", 3, 0, "v1", "").toString());
        assertThat(rg("rollout", "status", "api", "-w", "--timeout", "90s").exit()).isZero();
        describe("api");
        rg("apply", "-f", spec("api", 3, 0, "v2", "", "--startup-delay", "2s").toString());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> describe("api").path("status").path("updated").asInt() >= 1);
        long victim = describe("api").path("replicas").get(0).path("pid").asLong();
        long pid = daemonPid();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> !ProcessGroup.isRunning(pid));
        // While no daemon runs: one replica dies, and a process carrying the daemon's marker that no replica claims appears
        // (as a start whose row a crash cut off would leave).
        ProcessGroup.killAll(victim);
        ProcessBuilder stray = new ProcessBuilder("setsid", "sleep", "600");
        stray.environment().put("ROLLGATE_DAEMON", dir.resolve("state").toString());
        stray.environment().put("ROLLGATE_REPLICA", "api-000000-stray");
        long strayPid = stray.start().pid();
        seenPids.add(strayPid);

        Cli.Result up = rg("up");
        assertThat(up.exit()).as(up.err()).isZero();
        Cli.Result status = rg("rollout", "status", "api", "-w", "--timeout", "90s");
        assertThat(status.exit()).as(status.out()).isZero();
        assertThat(status.out()).contains("successfully rolled out (revision 2, v2)");
        JsonNode api = describe("api");
        List<JsonNode> running = new ArrayList<>();
        api.path("replicas").forEach(r -> {
            if (!r.path("stopping").asBoolean()) running.add(r);
        });
        assertThat(running).hasSize(3).allMatch(r -> r.path("revision").asInt() == 2);
        Cli.Result history = rg("rollout", "history", "api", "-o", "json");
        assertThat(Json.MAPPER.readTree(history.out()).findValuesAsText("version")).containsExactly("v1", "v2");
        Cli.Result events = rg("events", "api", "-o", "json");
        List<String> reasons = Json.MAPPER.readTree(events.out()).findValuesAsText("reason");
        assertThat(reasons).contains("Adopted", "ReplicaLost").containsSubsequence("RolloutStarted", "RolloutCompleted", "RolloutStarted", "RolloutCompleted");
        List<String> daemonReasons = Json.MAPPER.readTree(rg("events", "-o", "json").out()).findValuesAsText("reason");
        assertThat(daemonReasons).contains("OrphanKilled", "DaemonStarted");
        await().atMost(Duration.ofSeconds(10)).until(() -> !ProcessGroup.isRunning(strayPid));
        assertThat(rg("down").exit()).isZero();
    }

    @Test
    void canaryStepsAreSteeredWithPromoteAbortAndRetry() throws Exception {
        int port = Loopback.freePort();
        String canary = """
                  strategy:
                    canary:
                      abortScaleDownDelaySeconds: 1
                      scaleDownDelaySeconds: 1
                      steps: [{setWeight: 50}, {pause: {}}]
                """;
        java.util.function.Function<String, String> canaryFile = version -> {
            try {
                Path f = spec("cart", 2, port, version, "");
                Files.writeString(f, Files.readString(f).replace("  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}\n", canary));
                return f.toString();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        assertThat(rg("up").exit()).isZero();
        assertThat(rg("apply", "-f", canaryFile.apply("v1")).exit()).isZero();
        assertThat(rg("rollout", "status", "cart", "-w", "--timeout", "90s").exit()).isZero();
        Cli.Result notYet = rg("rollout", "promote", "cart");
        assertThat(notYet.exit()).isNotZero();
        assertThat(notYet.err()).contains("cart has no rollout in progress");

        rg("apply", "-f", canaryFile.apply("v2"));
        await().atMost(Duration.ofSeconds(90)).until(() -> describe("cart").path("phase").asText().equals("Paused"));
        Cli.Result described = rg("describe", "cart");
        assertThat(described.out()).contains("Strategy:           Canary (2 steps)", "Step:               step 2/2 pause",
                "Paused:             CanaryPauseStep").containsPattern("Traffic: +rev 1 \\(v1\\) 50% · rev 2 \\(v2\\) 50%");
        assertThat(rg("rollout", "status", "cart").out()).contains("Paused", "step 2/2 pause");

        // kill -9 of the daemon while the canary waits: the next daemon picks it up where it stood, weights and all.
        long pid = daemonPid();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> !ProcessGroup.isRunning(pid));
        Cli.Result up = rg("up");
        assertThat(up.exit()).as(up.err()).isZero();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode s = describe("cart");
            return s.path("phase").asText().equals("Paused") && s.path("replicas").size() == 3
                    && s.path("status").path("progressive").path("weights").toString().matches("\\{\"[0-9a-f]{10}\":50,\"[0-9a-f]{10}\":50}");
        });
        assertThat(rg("rollout", "promote", "cart").out()).contains("service/cart promoted");
        assertThat(rg("rollout", "status", "cart", "-w", "--timeout", "90s").exit()).isZero();

        rg("apply", "-f", canaryFile.apply("v3"));
        await().atMost(Duration.ofSeconds(90)).until(() -> describe("cart").path("phase").asText().equals("Paused"));
        assertThat(rg("rollout", "abort", "cart").out()).contains("service/cart aborted");
        Cli.Result status = rg("rollout", "status", "cart", "-w", "--timeout", "30s");
        assertThat(status.exit()).isEqualTo(1);
        assertThat(status.out()).contains("aborted by 'rollout abort'");
        assertThat(rg("rollout", "retry", "cart").out()).contains("service/cart retrying");
        await().atMost(Duration.ofSeconds(90)).until(() -> describe("cart").path("phase").asText().equals("Paused"));
        assertThat(rg("rollout", "promote", "cart", "--full").out()).contains("service/cart promoted (full)");
        assertThat(rg("rollout", "status", "cart", "-w", "--timeout", "90s").exit()).isZero();
        assertThat(describe("cart").path("status").path("version").asText()).isEqualTo("v3");

        // A restart goes through no step (no pause to promote past): the restarted replicas take over when all are up.
        assertThat(rg("rollout", "restart", "cart").exit()).isZero();
        Cli.Result restarted = rg("rollout", "status", "cart", "-w", "--timeout", "90s");
        assertThat(restarted.exit()).as(restarted.out()).isZero();
        assertThat(restarted.out()).doesNotContain("Paused");
    }

    /** A replica in its preStop when the daemon dies finishes its termination under the next daemon, and gets no traffic. */
    @Test
    void aReplicaStoppingWhenTheDaemonDiedIsNeverRoutedToAgain() throws Exception {
        int port = Loopback.freePort();
        assertThat(rg("up").exit()).isZero();
        // The preStop hook lasts until the test releases it (at most 60 s), so the daemon's kill and restart happen
        // inside it however slow the machine is.
        Path release = dir.resolve("release-prestop");
        java.util.function.Function<Integer, Path> withPreStop = replicas -> {
            try {
                Path f = spec("pre", replicas, port, "v1", "");
                Files.writeString(f, Files.readString(f).replace("    terminationGracePeriodSeconds: 10",
                        "    lifecycle: {preStop: {exec: {command: [timeout, '60', sh, -c, 'until [ -f " + release
                                + " ]; do sleep 0.1; done']}}}\n    terminationGracePeriodSeconds: 90"));
                return f;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        rg("apply", "-f", withPreStop.apply(2).toString());
        assertThat(rg("rollout", "status", "pre", "-w", "--timeout", "90s").exit()).isZero();
        rg("apply", "-f", withPreStop.apply(1).toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (JsonNode r : describe("pre").path("replicas")) if (r.path("stopping").asBoolean()) return true;
            return false;
        });
        String stopping = null;
        for (JsonNode r : describe("pre").path("replicas")) if (r.path("stopping").asBoolean()) stopping = r.path("id").asText();
        long pid = daemonPid();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> !ProcessGroup.isRunning(pid));

        assertThat(rg("up").exit()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> Json.MAPPER.readTree(rg("events", "pre", "-o", "json").out())
                .findValuesAsText("message").stream().anyMatch(m -> m.contains("to finish its termination")));
        var http = java.net.http.HttpClient.newHttpClient();
        var uri = java.net.URI.create("http://127.0.0.1:" + port + "/");
        java.util.Set<String> servedBy = new java.util.HashSet<>();
        String gone = stopping;
        // While the adopted replica is held in its preStop, and then until it has finished: every answer comes from
        // the one that stays, none from it.
        for (int i = 0; i < 20; i++) {
            var r = http.send(java.net.http.HttpRequest.newBuilder(uri).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            servedBy.add(Json.MAPPER.readTree(r.body()).path("replica").asText());
        }
        assertThat(describe("pre").path("replicas").findValuesAsText("id")).as("still stopping").contains(gone);
        Files.writeString(release, "");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            var r = http.send(java.net.http.HttpRequest.newBuilder(uri).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            servedBy.add(Json.MAPPER.readTree(r.body()).path("replica").asText());
            JsonNode pre = describe("pre");
            for (JsonNode x : pre.path("replicas")) {
                if (x.path("id").asText().equals(gone)) {
                    assertThat(x.path("ready").asBoolean()).as("the stopping replica is Ready again").isFalse();
                    return false;
                }
            }
            return true;
        });
        assertThat(servedBy).isNotEmpty().doesNotContain(gone);
        assertThat(rg("down").exit()).isZero();
    }
}
