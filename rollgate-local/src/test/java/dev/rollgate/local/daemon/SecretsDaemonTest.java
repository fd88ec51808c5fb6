package dev.rollgate.local.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.rollgate.controller.Verb;
import dev.rollgate.local.ApiException;
import dev.rollgate.local.api.DashboardData;
import dev.rollgate.local.process.ProcessGroup;
import dev.rollgate.local.secrets.SecretKey;
import dev.rollgate.local.store.DaemonFiles;
import dev.rollgate.spec.ValueRef.Kind;
import dev.rollgate.testkit.Loopback;
import dev.rollgate.view.HistoryEntry;
import dev.rollgate.view.ServiceView;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets and ConfigMaps on the in-process daemon, with real replica processes: where values go, and where they never do. */
class SecretsDaemonTest {

    private static final String FIRST = "first-Secret-Value-4f1c";
    private static final String SECOND = "second-Secret-Value-9b2e";

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

    /** The env list and volume a template reads the secret {@code db} and the ConfigMap {@code app} with. */
    private static String reads(boolean configRollsOut) {
        return """
                    env:
                    - name: DB_PASSWORD
                      valueFrom: {secretKeyRef: {name: db, key: password}}
                    - name: LOG_LEVEL
                      valueFrom: {configMapKeyRef: {name: app, key: level, rolloutOnChange: %s}}
                    volumes:
                    - {name: creds, secret: {secretName: db}}
                    volumeMounts:
                    - {name: creds, mountPath: /etc/creds}
                """.formatted(configRollsOut);
    }

    private String rollout(int port, String extra, boolean configRollsOut) {
        return Specs.rollout("web", 2, port, "v1", extra) + reads(configRollsOut);
    }

    /** What each running replica of web sees: its DB_PASSWORD and the password file of its volume. */
    private List<String> seen() throws Exception {
        List<String> out = new ArrayList<>();
        for (ServiceView.ReplicaView r : daemon.describe("web").replicas()) {
            if (r.pid() == 0 || r.stopping()) continue;
            if (!pids.contains(r.pid())) pids.add(r.pid());
            Map<String, String> env = ProcessGroup.environment(r.pid());
            String file = Files.readString(Path.of(env.get("ROLLGATE_MOUNT_CREDS")).resolve("password"));
            out.add(env.get("DB_PASSWORD") + "|" + file + "|" + env.get("LOG_LEVEL"));
        }
        return out;
    }

    private void awaitSeen(String... each) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            ServiceView v = daemon.describe("web");
            assertThat(v.replicas()).allMatch(r -> r.revision() == v.status().revision() && r.ready());
            assertThat(seen()).containsOnly(each).hasSize(2);
        });
    }

    private HttpServer receiver(List<String> posts) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.createContext("/", ex -> {
            posts.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        s.start();
        servers.add(s);
        return s;
    }

    private String admin(String path) throws Exception {
        String token = DaemonFiles.token(dir.resolve("state"));
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.adminPort() + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void aSecretReachesItsReplicasAndNothingElseAndRollsOutWithTheRevision() throws Exception {
        daemon = Daemon.open(dir.resolve("state"), 0);
        List<String> hooks = new CopyOnWriteArrayList<>();
        HttpServer hook = receiver(hooks);
        int port = Loopback.freePort();
        String extra = "  webhooks: [{url: \"http://127.0.0.1:" + hook.getAddress().getPort() + "/hook\"}]\n";

        assertThatThrownBy(() -> daemon.apply(rollout(port, extra, true), dir.toString(), "web.yaml"))
                .hasMessageContaining("nothing was applied");
        assertThat(((ApiException) catchApi(() -> daemon.apply(rollout(port, extra, true), dir.toString(), "web.yaml"))).details())
                .anySatisfy(d -> assertThat(d).contains("env DB_PASSWORD: no secret named db; create it first: rollgate secret create db"))
                .anySatisfy(d -> assertThat(d).contains("env LOG_LEVEL: no ConfigMap named app"));

        daemon.sources().put(Kind.SECRET, "db", Map.of("password", FIRST), true);
        String configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata: {level: info}\n---\n";
        assertThat(daemon.apply(configMap + rollout(port, extra, true), dir.toString(), "web.yaml"))
                .containsExactly(new Applier.Applied("configmap", "app", "created"), new Applier.Applied("service", "web", "created"));
        DaemonAwait.phase(daemon, "web", "Complete", pids);
        awaitSeen(FIRST + "|" + FIRST + "|info");
        List<Path> firstFiles = mountDirs();

        // A new version of the secret is a new revision, rolled out as any other.
        assertThat(daemon.sources().put(Kind.SECRET, "db", Map.of("password", SECOND), false).version()).isEqualTo(2);
        awaitSeen(SECOND + "|" + SECOND + "|info");
        DaemonAwait.phase(daemon, "web", "Complete", pids);
        assertThat(daemon.history("web")).extracting(HistoryEntry::sources)
                .containsExactly("secret db v1, configMap app v1", "secret db v2, configMap app v1");
        await().atMost(Duration.ofSeconds(20)).until(() -> firstFiles.stream().noneMatch(Files::exists));

        // Everything a person, a program or a disk can see while it ran: no value anywhere.
        List<String> seenOutside = new ArrayList<>();
        for (String path : List.of("/v1/services", "/v1/services/web", "/v1/services/web/history", "/v1/services/web/revisions",
                "/v1/events", "/v1/secrets", "/v1/secrets/db/history", "/v1/configmaps", "/metrics", "/v1/services/web/metrics")) {
            seenOutside.add(path + " " + admin(path));
        }
        seenOutside.add(dev.rollgate.json.Json.write(DashboardData.snapshot(daemon, null, 0)));
        await().atMost(Duration.ofSeconds(10)).until(() -> hooks.stream().anyMatch(h -> h.contains("RolloutCompleted")));
        seenOutside.addAll(hooks);
        try (Stream<Path> files = Files.walk(dir.resolve("state"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                seenOutside.add(f + " " + new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(String.join("\n", seenOutside)).contains("secret db v2", "\"password\":" + SECOND.length())
                .doesNotContain(FIRST, SECOND, Base64.getEncoder().encodeToString(FIRST.getBytes(StandardCharsets.UTF_8)));

        // A ConfigMap changed in the file rolls out with the file (diff says so first); the secret stays at the version that runs.
        String changed = configMap.replace("level: info", "level: debug");
        Applier.Preview preview = daemon.preview(changed + rollout(port, extra, true), dir.toString(), "web.yaml", false);
        assertThat(preview.configMaps()).singleElement().satisfies(c -> {
            assertThat(c.result()).isEqualTo("configured");
            assertThat(c.changes()).containsExactly("~ data.level: info -> debug");
        });
        assertThat(preview.services()).singleElement().satisfies(p -> {
            assertThat(p.result()).isEqualTo("configured");
            assertThat(p.changes()).extracting(Object::toString).containsExactly("spec.template.valueFrom.LOG_LEVEL.source.version: 1 -> 2");
        });
        daemon.apply(changed + rollout(port, extra, true), dir.toString(), "web.yaml");
        awaitSeen(SECOND + "|" + SECOND + "|debug");

        // Undo brings back the old values with the old replicas; re-applying the same file does not roll forward.
        daemon.service("web").act(new Verb.Undo(0));
        awaitSeen(SECOND + "|" + SECOND + "|info");
        assertThat(daemon.preview(changed + rollout(port, extra, true), dir.toString(), "web.yaml", false).services())
                .extracting(p -> p.result()).containsExactly("unchanged");
        assertThat(daemon.apply(changed + rollout(port, extra, true), dir.toString(), "web.yaml"))
                .extracting(Applier.Applied::result).containsExactly("unchanged", "unchanged");

        assertThatThrownBy(() -> daemon.sources().delete(Kind.SECRET, "db")).hasMessageContaining("is read by service web");
    }

    @Test
    void aSecretChangedUnderLoadIsCanariedAndAnAbortBringsBackTheOldValueWithoutAFailedRequest() throws Exception {
        daemon = Daemon.open(dir.resolve("state"), 0);
        daemon.sources().put(Kind.SECRET, "db", Map.of("password", FIRST), true);
        daemon.sources().put(Kind.CONFIG_MAP, "app", Map.of("level", "info"), true);
        int port = Loopback.freePort();
        String canary = """
                  strategy:
                    canary:
                      abortScaleDownDelaySeconds: 1
                      scaleDownDelaySeconds: 1
                      steps: [{setWeight: 50}, {pause: {}}]
                """;
        daemon.apply(rollout(port, canary, true), dir.toString(), "web.yaml");
        DaemonAwait.phase(daemon, "web", "Complete", pids);
        LoadLoop load = LoadLoop.start(port);

        daemon.sources().put(Kind.SECRET, "db", Map.of("password", SECOND), false);
        ServiceView paused = DaemonAwait.phase(daemon, "web", "Paused", pids);
        assertThat(paused.status().progressive().weights()).containsValues(50, 50);
        assertThat(paused.revisions()).extracting(ServiceView.RevisionView::sources)
                .containsExactly("secret db v1, configMap app v1", "secret db v2, configMap app v1");
        assertThat(seen()).contains(FIRST + "|" + FIRST + "|info", SECOND + "|" + SECOND + "|info");
        int before = load.count("200");
        await().atMost(Duration.ofSeconds(20)).until(() -> load.count("200") > before + 20);

        daemon.service("web").act(new Verb.Abort());
        DaemonAwait.phase(daemon, "web", "Aborted", pids);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(seen()).containsOnly(FIRST + "|" + FIRST + "|info").hasSize(2));
        load.stop();
        assertThat(load.count("200")).isGreaterThan(before);
        assertThat(load.keys()).as("every request answered 200").containsOnly("200", "v1");
    }

    @Test
    void aConfigMapThatDoesNotRollOutWaitsForTheNextRevision() throws Exception {
        daemon = Daemon.open(dir.resolve("state"), 0);
        daemon.sources().put(Kind.SECRET, "db", Map.of("password", FIRST), true);
        daemon.sources().put(Kind.CONFIG_MAP, "app", Map.of("level", "info"), true);
        daemon.apply(rollout(0, "", false), dir.toString(), "web.yaml");
        DaemonAwait.phase(daemon, "web", "Complete", pids);
        long generation = daemon.describe("web").generation();

        daemon.sources().put(Kind.CONFIG_MAP, "app", Map.of("level", "debug"), false);
        assertThat(daemon.describe("web").generation()).as("no new template: rolloutOnChange is false").isEqualTo(generation);
        assertThat(daemon.history("web")).hasSize(1);
        assertThat(daemon.preview(rollout(0, "", false), dir.toString(), "web.yaml", false).services()).extracting(p -> p.result())
                .as("the file is unchanged, so is the service").containsExactly("unchanged");
        assertThat(seen()).containsOnly(FIRST + "|" + FIRST + "|info");

        daemon.service("web").act(new Verb.Restart());
        awaitSeen(FIRST + "|" + FIRST + "|debug");
        assertThat(daemon.history("web")).extracting(HistoryEntry::sources).last().isEqualTo("secret db v1, configMap app v2");
    }

    @Test
    void aWrongKeyIsSaidAtStartAndStopsOnlyTheReplicasThatNeedSecretsAndLosesNothing() throws Exception {
        Path state = dir.resolve("state");
        daemon = Daemon.open(state, 0);
        daemon.sources().put(Kind.SECRET, "db", Map.of("password", FIRST), true);
        daemon.sources().put(Kind.CONFIG_MAP, "app", Map.of("level", "info"), true);
        daemon.apply(rollout(0, "", true), dir.toString(), "web.yaml");
        daemon.apply(Specs.rollout("plain", 1, 0, "v1", ""), dir.toString(), "plain.yaml");
        DaemonAwait.phase(daemon, "web", "Complete", pids);
        DaemonAwait.phase(daemon, "plain", "Complete", pids);
        daemon.shutdown().get();

        Path key = state.resolve(SecretKey.DEFAULT_FILE);
        byte[] right = Files.readAllBytes(key);
        Files.write(key, new byte[32]);
        daemon = Daemon.open(state, 0);
        assertThat(daemon.events(null, 0, 1000)).anySatisfy(e -> {
            assertThat(e.reason()).isEqualTo("SecretKeyUnusable");
            assertThat(e.message()).contains(key.toString()).contains("secret db");
        });
        DaemonAwait.phase(daemon, "plain", "Complete", pids);
        await().atMost(Duration.ofSeconds(30)).until(() -> daemon.events("web", 0, 1000).stream().anyMatch(e -> e.reason().equals("Failed")
                && e.message().contains("secret db (version 1) cannot be read") && e.message().contains("sealed with another key")));
        assertThat(daemon.describe("web").replicas()).noneMatch(ServiceView.ReplicaView::ready);
        daemon.shutdown().get();

        Files.write(key, right);
        daemon = Daemon.open(state, 0);
        DaemonAwait.phase(daemon, "web", "Complete", pids);
        awaitSeen(FIRST + "|" + FIRST + "|info");
    }

    private List<Path> mountDirs() throws Exception {
        List<Path> out = new ArrayList<>();
        for (ServiceView.ReplicaView r : daemon.describe("web").replicas()) {
            if (r.pid() > 0) out.add(Path.of(ProcessGroup.environment(r.pid()).get("ROLLGATE_MOUNT_CREDS")));
        }
        return out;
    }

    private static Throwable catchApi(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        return org.assertj.core.api.Assertions.catchThrowable(call);
    }
}
