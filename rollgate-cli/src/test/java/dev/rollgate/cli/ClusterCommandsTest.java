package dev.rollgate.cli;

import static dev.rollgate.cli.Cli.rollgate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rollgate.kubernetes.Crds;
import dev.rollgate.kubernetes.RolloutOperator;
import dev.rollgate.testkit.kubernetes.MockCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same commands against a cluster (fabric8's mock API with a simulated ReplicaSet controller and kubelet), the operator running. */
class ClusterCommandsTest {

    @TempDir
    Path dir;

    MockCluster cluster;
    RolloutOperator operator;
    Path kubeconfig;

    @BeforeEach
    void start() throws Exception {
        cluster = new MockCluster(Crds.all(), "shop", "rollgate-system");
        operator = RolloutOperator.start(cluster.client, new RolloutOperator.Options("shop", null, 0));
        kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s"}}]
                contexts: [{name: mock, context: {cluster: mock, user: tester, namespace: shop}}]
                current-context: mock
                users: [{name: tester, user: {token: test}}]
                """.formatted(cluster.client.getMasterUrl()));
    }

    @AfterEach
    void stop() {
        operator.close();
        cluster.close();
    }

    private Cli.Result on(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--kubeconfig";
        all[args.length + 1] = kubeconfig.toString();
        all[args.length + 2] = "-n";
        all[args.length + 3] = "shop";
        return rollgate(all);
    }

    private Path spec(String version) throws Exception {
        Path f = dir.resolve("cart-" + version + ".yaml");
        Files.writeString(f, """
                apiVersion: rollgate.dev/v1alpha1
                kind: Rollout
                metadata: {name: cart}
                spec:
                  replicas: 2
                  service: {port: 80}
                  strategy: {blueGreen: {autoPromotionEnabled: false, scaleDownDelaySeconds: 1}}
                  template:
                    version: %s
                    command: [java, -jar, cart.jar]
                    image: registry.example/cart:%s
                    ports: [{containerPort: 8080}]
                    readinessProbe: {httpGet: {path: /health/ready}}
                """.formatted(version, version));
        return f;
    }

    @Test
    void applyGetDescribePromoteStatusHistoryAndEventsWorkOnACluster() throws Exception {
        Cli.Result applied = on("apply", "-f", spec("v1").toString());
        assertThat(applied.out()).isEqualTo("service/cart created\n");
        await().atMost(Duration.ofSeconds(30)).until(() -> on("get", "cart").out().contains("Complete"));
        assertThat(on("get").out()).startsWith("NAME").contains("cart   1          v1        2/2");

        // events --watch from here on: the v2 rollout's events follow the listing, each once
        StringWriter watched = new StringWriter();
        Thread watcher = Thread.ofPlatform().start(() -> {
            var cli = Main.commandLine();
            cli.setOut(new PrintWriter(watched, true));
            cli.setErr(new PrintWriter(new StringWriter(), true));
            cli.execute("events", "cart", "--watch", "--kubeconfig", kubeconfig.toString(), "-n", "shop");
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> watched.toString().contains("RolloutCompleted"));
        String listing = watched.toString();

        Cli.Result diff = on("diff", "-f", spec("v2").toString());
        assertThat(diff.out()).isEqualTo("""
                service/cart configured: revision 2 (v2) rolls out by BlueGreen (manual promotion)
                  spec.template.image: "registry.example/cart:v1" -> "registry.example/cart:v2"
                  spec.template.version: "v1" -> "v2"
                """);
        on("apply", "-f", spec("v2").toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> on("get", "cart").out().contains("Paused"));
        Cli.Result described = on("describe", "cart");
        assertThat(described.out()).contains("Service:            Services cart, cart-active, cart-preview (port 80) in namespace shop")
                .contains("Strategy:           BlueGreen (manual promotion)").contains("Step:               preview ready, waiting for promote")
                .contains("Revisions:").contains("2 (current)   v2").contains("Events:").contains("RolloutStarted")
                .as("the digest each ReplicaSet runs, from its pods' imageID")
                .contains("IMAGE").contains(MockCluster.imageId("registry.example/cart:v1").substring("docker-pullable://".length()));

        assertThat(on("rollout", "promote", "cart").out()).isEqualTo("service/cart promoted\n");
        Cli.Result status = on("rollout", "status", "cart", "--watch", "--timeout", "60s");
        assertThat(status.exit()).isZero();
        assertThat(status.out()).contains("service cart successfully rolled out (revision 2, v2)");
        assertThat(on("rollout", "history", "cart").out()).containsPattern("\\n1 +v1 +").containsPattern("2 \\(current\\) +v2")
                .contains(MockCluster.imageId("registry.example/cart:v2").substring("docker-pullable://".length()));
        Cli.Result tagOnly = on("apply", "-f", spec("v3").toString(), "--require-digest");
        assertThat(tagOnly.exit()).isNotZero();
        assertThat(tagOnly.err()).contains("spec.template.image").contains("registry.example/cart:v3").contains("has no digest");
        assertThat(on("events", "cart").out()).contains("RolloutPromoted").contains("RolloutCompleted");
        await().atMost(Duration.ofSeconds(10)).until(() -> watched.toString().contains("RolloutPromoted"));
        watcher.interrupt();
        watcher.join(10_000);
        assertThat(watcher.isAlive()).isFalse();
        String followed = watched.toString().substring(listing.length());
        assertThat(followed).as(followed).doesNotContain("REASON").contains("RolloutStarted").contains("RolloutPromoted");
        assertThat(followed.lines().filter(l -> l.contains("RolloutPromoted")).count()).as(followed).isEqualTo(1);
        assertThat(followed.lines().filter(l -> l.contains("RolloutStarted")).count()).as(followed).isEqualTo(1);

        assertThat(on("rollout", "pause", "cart").out()).isEqualTo("service/cart paused\n");
        assertThat(on("rollout", "pause", "cart").out()).as("already paused: carried out, nothing changed").isEqualTo("service/cart paused\n");
        assertThat(on("get", "cart").out()).contains("Paused");
        assertThat(on("rollout", "resume", "cart").out()).isEqualTo("service/cart resumed\n");
        Cli.Result retry = on("rollout", "retry", "cart");
        assertThat(retry.exit()).isEqualTo(1);
        assertThat(retry.err()).contains("cart has no rollout in progress (it is on its stable revision)");
        Cli.Result missing = on("describe", "nope");
        assertThat(missing.err()).contains("no Rollout nope in namespace shop").doesNotContain("Exception");

        // delete -n: the Rollout on the cluster goes (the operator lets its finalizer go), never a local service
        assertThat(on("delete", "cart").out()).isEqualTo("service/cart deleted from namespace shop\n");
        await().atMost(Duration.ofSeconds(30)).until(() -> on("get", "cart").err().contains("no Rollout cart in namespace shop"));
        Cli.Result again = on("delete", "cart");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("rollgate: no Rollout cart in namespace shop\n");
    }

    @Test
    void aBadSpecIsRefusedWithItsFieldPathAndNothingIsCreated() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "apiVersion: rollgate.dev/v1alpha1\nkind: Rollout\nmetadata: {name: cart}\nspec:\n  replicas: -1\n  template: {image: x}\n");
        Cli.Result r = on("apply", "-f", f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("spec.replicas").doesNotContain("Exception");
        assertThat(on("get").out()).contains("No services");
        Files.writeString(f, "apiVersion: rollgate.dev/v1alpha1\nkind: Rollout\nmetadata: {name: cart}\nspec:\n  template: {image: x}\n"
                + "  database: {url: 'jdbc:postgresql://db/shop', migrations: migrations}\n");
        Cli.Result gated = on("apply", "-f", f.toString());
        assertThat(gated.exit()).isEqualTo(1);
        assertThat(gated.err()).contains("spec.database: cart: expand / contract migrations are gated by the embedded platform only");
        assertThat(on("get").out()).contains("No services");
        // Mirrored requests and Rollgate's own load need its proxy: refused by field, not silently skipped.
        Files.writeString(f, """
                apiVersion: rollgate.dev/v1alpha1
                kind: Rollout
                metadata: {name: cart}
                spec:
                  service: {port: 80}
                  template: {image: x}
                  strategy:
                    canary:
                      steps:
                      - setCanaryScale: {replicas: 1}
                      - setMirrorRoute: {name: shadow, percentage: 50}
                      - analysis: {templates: [{templateName: driven}]}
                ---
                apiVersion: rollgate.dev/v1alpha1
                kind: AnalysisTemplate
                metadata: {name: driven}
                spec:
                  metrics:
                  - name: load
                    provider: {load: {duration: 1m}}
                """);
        Cli.Result mirrored = on("apply", "-f", f.toString());
        assertThat(mirrored.exit()).isEqualTo(1);
        assertThat(mirrored.err()).contains("spec.strategy.canary.steps[1].setMirrorRoute: cart: mirrored requests are copied and judged by"
                + " Rollgate's own proxy").contains("AnalysisTemplate driven: spec.metrics[0].provider.load: cart: Rollgate's own load");
        assertThat(on("get").out()).contains("No services");
    }
}
