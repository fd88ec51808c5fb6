package dev.rollgate.local.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rollgate.controller.Verb;
import dev.rollgate.local.ApiException;
import dev.rollgate.local.container.ContainerRun;
import dev.rollgate.local.container.Podman;
import dev.rollgate.local.container.ThrowawayRegistry;
import dev.rollgate.testkit.Hey;
import dev.rollgate.testkit.Loopback;
import dev.rollgate.view.EventRow;
import dev.rollgate.view.ServiceView;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Container replicas on the embedded platform, end to end: real podman, a real registry on loopback
 * (Debian's docker-registry) holding the demo's busybox images, real sockets and hey under load.
 */
class ContainerReplicasTest {

    private static Path registryDir;
    private static ThrowawayRegistry registry;
    private static Map<String, String> digests;

    @TempDir
    Path dir;

    private Daemon daemon;
    private final List<Long> pids = new ArrayList<>();

    @BeforeAll
    static void registry() throws Exception {
        registryDir = Files.createTempDirectory("rollgate-registry-");
        registry = ThrowawayRegistry.start(registryDir);
        digests = registry.pushDemoImages();
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) registry.close();
    }

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) daemon.shutdown().get();
        // Whatever a test left, the state directory's label finds it; nothing may be left.
        assertThat(containers()).as("containers left behind").isEmpty();
    }

    @Test
    void rollingUpdateCanaryAndBlueGreenOfContainersUnderLoadFailNoRequest() throws Exception {
        daemon = Daemon.open(dir.resolve("state"), 0);
        int port = Loopback.freePort();
        daemon.apply(spec("web", port, "v1", rolling()), dir.toString(), "web.yaml");
        ServiceView v1 = DaemonAwait.phase(daemon, "web", "Complete", pids);
        assertThat(v1.revisions().getFirst().image()).isEqualTo(registry.address() + "/demo-web@" + digests.get("v1"));
        assertThat(containers()).hasSize(2);
        String replica = v1.replicas().getFirst().id();
        assertThat(Files.readString(daemon.logDir("web").resolve(replica + ".log")))
                .as("what the container prints is the replica's log").contains("demo-web v1 serving on port 8080");

        try (Hey hey = Hey.start(URI.create("http://127.0.0.1:" + port + "/cgi-bin/hello"), 4)) {
            daemon.apply(spec("web", port, "v2", rolling()), dir.toString(), "web.yaml");
            ServiceView v2 = DaemonAwait.phase(daemon, "web", "Complete", pids);
            assertThat(v2.status().version()).isEqualTo("v2");
            assertThat(v2.revisions().stream().filter(ServiceView.RevisionView::currentRevision).findFirst().orElseThrow().image())
                    .endsWith("@" + digests.get("v2"));

            // A canary that fails 5 % of its requests: the judge aborts it; masking retries each failure on stable.
            daemon.apply(spec("web", port, "v4", canary()) + JUDGE, dir.toString(), "web.yaml");
            ServiceView aborted = DaemonAwait.phase(daemon, "web", "Aborted", pids);
            assertThat(aborted.status().progressive().state().abortMessage()).contains("analysis");
            assertThat(aborted.status().progressive().weights()).containsExactly(Map.entry(aborted.status().progressive().state().stableHash(), 100));

            // Blue-green: v1 again, as the preview, then switched to.
            daemon.apply(spec("web", port, "v1", blueGreen(Loopback.freePort())), dir.toString(), "web.yaml");
            DaemonAwait.phase(daemon, "web", "Paused", pids);
            daemon.service("web").act(new Verb.Promote(false));
            ServiceView switched = DaemonAwait.phase(daemon, "web", "Complete", pids);
            assertThat(switched.status().version()).isEqualTo("v1");
            assertThat(hey.running()).as("hey still sending when the steps were done").isTrue();
            Hey.Report report = hey.stop();
            assertThat(report.ok()).as(report.text()).isPositive();
            // A failure says what the replicas went through (a stable replica restarted leaves a canary's error unmasked).
            assertThat(report.other()).as(report.text() + warnings("web")).isZero();
            assertThat(report.socketErrors()).as(report.text()).isFalse();
        }
        daemon.delete("web").get();
        await().atMost(Duration.ofSeconds(60)).until(() -> containers().isEmpty());
    }

    @Test
    void aTagMovedInTheRegistryChangesNothingUntilTheFileIsAppliedAgain() throws Exception {
        registry.moveTag("v1", "live");
        daemon = Daemon.open(dir.resolve("state"), 0);
        daemon.sources().put(dev.rollgate.spec.ValueRef.Kind.SECRET, "db", java.util.Map.of("password", "in-the-container-only"), true);
        String live = specWithImage("app", 0, "live", registry.image("live"), rolling()) + """
                    env:
                    - name: DB_PASSWORD
                      valueFrom: {secretKeyRef: {name: db, key: password}}
                    volumes: [{name: creds, secret: {secretName: db}}]
                    volumeMounts: [{name: creds, mountPath: /etc/creds}]
                """;
        daemon.apply(live, dir.toString(), "app.yaml");
        ServiceView first = DaemonAwait.phase(daemon, "app", "Complete", pids);
        assertThat(first.revisions().getFirst().image()).endsWith("@" + digests.get("v1"));
        // The secret reaches the program inside as a variable and as a read-only file at its mountPath.
        Podman.Result inside = Podman.podman(Duration.ofSeconds(30), "exec", containers().getFirst(), "/bin/busybox", "sh", "-c",
                "echo \"$DB_PASSWORD\"; cat /etc/creds/password; echo; touch /etc/creds/x 2>/dev/null || echo read-only");
        assertThat(inside.output()).as(inside.output()).isEqualTo("in-the-container-only\nin-the-container-only\nread-only\n");

        // A container put in a replica's place by hand (podman run --replace with its name) is found and put back. The replica failed
        // once just before, so its restart is backed off (10 s) and the other container stands in its place meanwhile.
        String taken = containers().getFirst();
        assertThat(Podman.podman(Duration.ofSeconds(30), "kill", taken).ok()).isTrue();
        await().atMost(Duration.ofSeconds(60)).until(() -> daemon.describe("app").replicas().stream().anyMatch(r -> r.restarts() > 0)
                && daemon.describe("app").replicas().stream().allMatch(ServiceView.ReplicaView::ready));
        List<String> run = new ArrayList<>(List.of("run", "-d", "--replace", "--name", taken));
        run.addAll(Podman.RUN_OPTIONS);
        run.add(registry.image("v1"));
        Podman.Result foreign = Podman.podman(Duration.ofSeconds(30), run.toArray(String[]::new));
        assertThat(foreign.ok()).as(foreign.output()).isTrue();
        await().atMost(Duration.ofSeconds(60)).until(() -> daemon.events("app", 0, 10_000).stream().anyMatch(e -> e.reason().equals("DriftCorrected")
                && e.message().contains("container " + taken + " of replica") && e.message().contains("was replaced by hand")));
        await().atMost(Duration.ofSeconds(60)).until(() -> containers().contains(taken) && daemon.describe("app").replicas().stream()
                .allMatch(ServiceView.ReplicaView::ready));

        registry.moveTag("v2", "live");
        // A replica that dies comes back on its revision's digest, not on what the tag names now.
        String victim = containers().stream().filter(c -> !c.equals(taken)).findFirst().orElseThrow();
        assertThat(Podman.podman(Duration.ofSeconds(30), "kill", victim).ok()).isTrue();
        await().atMost(Duration.ofSeconds(60)).until(() -> daemon.describe("app").replicas().stream().allMatch(r -> r.restarts() > 0 && r.ready())
                && runningImages().size() == 2);
        assertThat(runningImages()).allSatisfy(image -> assertThat(image).endsWith("@" + digests.get("v1")));
        assertThat(daemon.describe("app").revisions()).hasSize(1);
        assertThat(daemon.preview(live, dir.toString(), "app.yaml", false).services().getFirst().result())
                .as("diff resolves the tag as apply does: the moved tag is a change").isEqualTo("configured");

        daemon.apply(live, dir.toString(), "app.yaml");
        ServiceView second = DaemonAwait.phase(daemon, "app", "Complete", pids);
        assertThat(second.revisions()).hasSize(2);
        assertThat(second.revisions().stream().filter(ServiceView.RevisionView::currentRevision).findFirst().orElseThrow().image())
                .endsWith("@" + digests.get("v2"));
        assertThat(reasons("app")).contains("ImageResolved");
        await().atMost(Duration.ofSeconds(30)).until(() -> runningImages().size() == 2);
        assertThat(runningImages()).allSatisfy(image -> assertThat(image).endsWith("@" + digests.get("v2")));

        assertThatThrownBy(() -> daemon.apply(live, dir.toString(), "app.yaml", true))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).details()).anyMatch(d -> d.contains("spec.template.image") && d.contains("no digest")));
    }

    @Test
    void anImageThatCannotBePulledFailsItsRolloutAtTheDeadlineWhileTheOldRevisionServes() throws Exception {
        daemon = Daemon.open(dir.resolve("state"), 0);
        int port = Loopback.freePort();
        daemon.apply(spec("web", port, "v1", rolling()), dir.toString(), "web.yaml");
        DaemonAwait.phase(daemon, "web", "Complete", pids);
        String missing = registry.address() + "/demo-web@sha256:" + "0".repeat(64);
        try (Hey hey = Hey.start(URI.create("http://127.0.0.1:" + port + "/cgi-bin/hello"), 2)) {
            daemon.apply(specWithImage("web", port, "v9", missing, rolling()), dir.toString(), "web.yaml");
            ServiceView rolledBack = DaemonAwait.phase(daemon, "web", "RolledBack", pids);
            assertThat(rolledBack.status().version()).isEqualTo("v1");
            Hey.Report report = hey.stop();
            assertThat(report.other()).as(report.text()).isZero();
            assertThat(report.socketErrors()).as(report.text()).isFalse();
        }
        List<EventRow> pulls = daemon.events("web", 0, 10_000).stream().filter(e -> e.reason().equals("ErrImagePull")).toList();
        assertThat(pulls).isNotEmpty();
        assertThat(pulls.getFirst().message()).contains("Failed to pull image").contains(missing);
        assertThat(runningImages()).as("no container of the revision that could not be pulled").hasSize(2)
                .allSatisfy(image -> assertThat(image).endsWith("@" + digests.get("v1")));

        assertThatThrownBy(() -> daemon.apply(specWithImage("web", port, "v9", registry.image("nope"), rolling()), dir.toString(), "web.yaml"))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).details())
                        .anyMatch(d -> d.contains("spec.template.image") && d.contains("cannot resolve image " + registry.image("nope"))));
    }

    @Test
    void aContainerThatIgnoresSigtermIsKilledAtTheEndOfItsGracePeriod() throws Exception {
        daemon = Daemon.open(dir.resolve("state"), 0);
        daemon.apply(specWithImage("stubborn", 0, "stubborn", registry.image("stubborn"), rolling()).replace("replicas: 2", "replicas: 1")
                .replace("terminationGracePeriodSeconds: 5", "terminationGracePeriodSeconds: 2"), dir.toString(), "stubborn.yaml");
        DaemonAwait.phase(daemon, "stubborn", "Complete", pids);
        daemon.delete("stubborn").get();
        await().atMost(Duration.ofSeconds(30)).until(() -> reasons("stubborn").contains("Terminated"));
        EventRow killed = daemon.events("stubborn", 0, 10_000).stream().filter(e -> e.reason().equals("Killed")).findFirst().orElseThrow();
        assertThat(killed.message()).contains("did not exit 2");
        assertThat(containers()).isEmpty();
    }

    // ---- specs ----------------------------------------------------------------------------------

    private static String rolling() {
        return "  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}\n";
    }

    private static String canary() {
        return """
                  strategy:
                    canary:
                      abortScaleDownDelaySeconds: 1
                      analysis: {templates: [{templateName: errors}], startingStep: 1}
                      steps: [{setWeight: 50}, {pause: {}}]
                """;
    }

    private static String blueGreen(int previewPort) {
        return """
                  strategy:
                    blueGreen: {previewPort: %d, autoPromotionEnabled: false, scaleDownDelaySeconds: 1}
                """.formatted(previewPort);
    }

    private static final String JUDGE = Specs.judge("500ms");

    private String spec(String name, int port, String tag, String strategy) {
        return specWithImage(name, port, tag, registry.image(tag), strategy);
    }

    private static String specWithImage(String name, int port, String version, String image, String strategy) {
        return """
                apiVersion: rollgate.dev/v1alpha1
                kind: Rollout
                metadata: {name: %s}
                spec:
                  replicas: 2
                  progressDeadlineSeconds: 15
                  progressDeadlineAbort: true
                %s%s  template:
                    version: %s
                    image: %s
                    ports: [{containerPort: 8080}]
                    resources: {limits: {memory: 32Mi, cpu: 500m}}
                    startupProbe:   {httpGet: {path: /health/started}, periodSeconds: 1, failureThreshold: 30}
                    readinessProbe: {httpGet: {path: /health/ready}, periodSeconds: 1}
                    livenessProbe:  {exec: {command: [/bin/busybox, wget, -q, -O, /dev/null, "http://127.0.0.1:8080/health/live"]}, periodSeconds: 2, timeoutSeconds: 5}
                    # podman exec alone takes 0.2 s on an idle host and over 1 s on a busy one: the default 1 s restarts healthy containers
                    terminationGracePeriodSeconds: 5
                """.formatted(name, port > 0 ? "  service: {port: " + port + ", errorMasking: true}\n" : "", strategy, version, image);
    }

    // ---- what podman says -------------------------------------------------------------------------

    private List<String> containers() {
        Podman.Result r = Podman.podman(Duration.ofSeconds(30), "ps", "--all", "--filter",
                "label=" + ContainerRun.STATE_LABEL + "=" + dir.resolve("state"), "--format", "{{.Names}}");
        assertThat(r.ok()).as(r.output()).isTrue();
        return r.output().lines().map(String::strip).filter(l -> !l.isEmpty()).sorted().toList();
    }

    /** The image of each running container of this state directory, as podman ran it. */
    private List<String> runningImages() {
        Podman.Result r = Podman.podman(Duration.ofSeconds(30), "ps", "--filter", "label=" + ContainerRun.STATE_LABEL + "=" + dir.resolve("state"),
                "--format", "{{.Image}}");
        assertThat(r.ok()).as(r.output()).isTrue();
        return r.output().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private String warnings(String service) throws Exception {
        return daemon.events(service, 0, 10_000).stream().filter(e -> e.type().equals("Warning"))
                .map(e -> "\n" + e.time() + " " + e.object() + " " + e.reason() + ": " + e.message()).collect(Collectors.joining());
    }

    private List<String> reasons(String service) throws Exception {
        return daemon.events(service, 0, 10_000).stream().map(EventRow::reason).toList();
    }
}
