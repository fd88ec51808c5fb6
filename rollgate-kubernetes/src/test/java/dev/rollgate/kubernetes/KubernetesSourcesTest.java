package dev.rollgate.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rollgate.controller.Verb;
import dev.rollgate.controller.VerbResult;
import dev.rollgate.testkit.kubernetes.MockCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Secrets and ConfigMaps versioned with the revision on Kubernetes, and drift put back or reported, on fabric8's mock API. */
class KubernetesSourcesTest {

    static final String NS = KubernetesRolloutTest.NS;

    MockCluster cluster;
    RolloutOperator operator;

    @RegisterExtension
    final FailureReport report = new FailureReport(() -> cluster, () -> operator);

    @BeforeEach
    void start() throws Exception {
        cluster = new MockCluster(Crds.all(), NS, "rollgate-system");
        operator = RolloutOperator.start(cluster.client, new RolloutOperator.Options(NS, null, 0));
    }

    @AfterEach
    void stop() {
        if (operator != null) operator.close();
        cluster.close();
    }

    private static String rollout(String extraSpec, boolean configRollsOut) {
        return """
                apiVersion: rollgate.dev/v1alpha1
                kind: Rollout
                metadata: {name: web}
                spec:
                  replicas: 2
                  progressDeadlineSeconds: 30
                  service: {port: 80}
                %s  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
                  template:
                    version: v1
                    image: registry.example/web:v1
                    ports: [{name: http, containerPort: 8080}]
                    env:
                    - name: DB_PASSWORD
                      valueFrom: {secretKeyRef: {name: db, key: password}}
                    - name: LOG_LEVEL
                      valueFrom: {configMapKeyRef: {name: app, key: level, rolloutOnChange: %s}}
                    volumes: [{name: creds, secret: {secretName: db}}]
                    volumeMounts: [{name: creds, mountPath: /etc/creds}]
                    readinessProbe: {httpGet: {path: /health/ready}, periodSeconds: 1}
                """.formatted(extraSpec, configRollsOut);
    }

    private void secret(String password) {
        cluster.client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("db").endMetadata()
                .addToData("password", Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8))).build()).createOr(c -> c.update());
    }

    private void config(String level) {
        cluster.client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("app").endMetadata()
                .addToData("level", level).build()).createOr(c -> c.update());
    }

    private String phase() {
        RolloutResource r = cluster.client.resources(RolloutResource.class).inNamespace(NS).withName("web").get();
        return r == null || r.getStatus() == null ? "" : String.valueOf(r.getStatus().get("phase"));
    }

    private List<ReplicaSet> replicaSets() {
        return cluster.client.apps().replicaSets().inNamespace(NS).withLabel(Labels.ROLLOUT, "web").list().getItems();
    }

    /** What the kubelet would give each pod of the Rollout: its DB_PASSWORD and LOG_LEVEL, read through the copies it names. */
    private Set<String> seenByPods() {
        Set<String> out = new TreeSet<>();
        for (Pod p : cluster.client.pods().inNamespace(NS).withLabel(Labels.ROLLOUT, "web").list().getItems()) {
            if (p.getMetadata().getDeletionTimestamp() != null) continue;
            var env = p.getSpec().getContainers().getFirst().getEnv();
            String secretCopy = env.stream().filter(e -> e.getName().equals("DB_PASSWORD")).findFirst().orElseThrow()
                    .getValueFrom().getSecretKeyRef().getName();
            String configCopy = env.stream().filter(e -> e.getName().equals("LOG_LEVEL")).findFirst().orElseThrow()
                    .getValueFrom().getConfigMapKeyRef().getName();
            Secret s = cluster.client.secrets().inNamespace(NS).withName(secretCopy).get();
            var c = cluster.client.configMaps().inNamespace(NS).withName(configCopy).get();
            out.add((s == null ? "missing " + secretCopy : new String(Base64.getDecoder().decode(s.getData().get("password")), StandardCharsets.UTF_8))
                    + "|" + (c == null ? "missing " + configCopy : c.getData().get("level")));
        }
        return out;
    }

    private List<String> events(String reason) {
        return cluster.client.v1().events().inNamespace(NS).list().getItems().stream().filter(e -> reason.equals(e.getReason()))
                .map(Event::getMessage).toList();
    }

    @Test
    void eachRevisionReadsItsOwnImmutableCopyAndAnUndoBringsTheOldValuesBack() throws Exception {
        secret("first");
        config("info");
        ClusterApply.apply(cluster.client, NS, rollout("", true));
        await().atMost(Duration.ofSeconds(30)).until(() -> phase().equals("Complete") && seenByPods().equals(Set.of("first|info")));
        ReplicaSet first = replicaSets().getFirst();
        String copy = first.getSpec().getTemplate().getSpec().getVolumes().getFirst().getSecret().getSecretName();
        Secret copied = cluster.client.secrets().inNamespace(NS).withName(copy).get();
        assertThat(copy).startsWith("db-");
        assertThat(copied.getImmutable()).isTrue();
        assertThat(copied.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("ReplicaSet");
            assertThat(o.getUid()).isEqualTo(first.getMetadata().getUid());
        });
        assertThat(first.getMetadata().getAnnotations().get(Labels.TEMPLATE)).doesNotContain("first");

        // The Secret changes: a new revision, rolled out, reading a new copy; the old copy stays with the old ReplicaSet.
        secret("second");
        await().atMost(Duration.ofSeconds(30)).until(() -> replicaSets().size() == 2 && phase().equals("Complete")
                && seenByPods().equals(Set.of("second|info")));
        assertThat(cluster.client.secrets().inNamespace(NS).withName(copy).get()).as("the old revision's copy").isNotNull();

        ClusterRollouts rollouts = new ClusterRollouts(cluster.client, NS, Duration.ofSeconds(30));
        assertThat(rollouts.ask("web", new Verb.Undo(0))).isInstanceOf(VerbResult.Done.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> phase().equals("Complete") && seenByPods().equals(Set.of("first|info")));

        // A ConfigMap that does not roll out on a change: nothing moves until the template changes for another reason.
        ClusterApply.apply(cluster.client, NS, rollout("", false));
        await().atMost(Duration.ofSeconds(30)).until(() -> phase().equals("Complete") && seenByPods().equals(Set.of("second|info")));
        int revisions = replicaSets().size();
        config("debug");
        long passes = operator.passes();
        await().atMost(Duration.ofSeconds(30)).until(() -> operator.passes() > passes + 3);
        assertThat(replicaSets()).hasSize(revisions);
        assertThat(seenByPods()).containsExactly("second|info");
        ClusterApply.apply(cluster.client, NS, rollout("", false).replace("version: v1", "version: v2"));
        await().atMost(Duration.ofSeconds(30)).until(() -> phase().equals("Complete") && seenByPods().equals(Set.of("second|debug")));
    }

    @Test
    void aReplicaSetScaledOrEditedByHandAndASelectorChangedArePutBackOrOnlyReported() throws Exception {
        secret("first");
        config("info");
        ClusterApply.apply(cluster.client, NS, rollout("", true));
        await().atMost(Duration.ofSeconds(30)).until(() -> phase().equals("Complete"));
        String rs = replicaSets().getFirst().getMetadata().getName();

        cluster.client.apps().replicaSets().inNamespace(NS).withName(rs).scale(5);
        await().atMost(Duration.ofSeconds(30)).until(() -> events("DriftCorrected").stream().anyMatch(m -> m.contains("ReplicaSet " + rs
                + " was scaled to 5 out of band; the operator set 2; put back")));
        await().atMost(Duration.ofSeconds(30)).until(() -> replicaSets().getFirst().getSpec().getReplicas() == 2);

        cluster.client.apps().replicaSets().inNamespace(NS).withName(rs).edit(x -> {
            x.getSpec().getTemplate().getSpec().getContainers().getFirst().setImage("evil.example/web:latest");
            return x;
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> events("DriftCorrected").stream().anyMatch(m -> m.contains("pod template was edited")
                && m.contains("registry.example/web:v1 -> evil.example/web:latest")));
        await().atMost(Duration.ofSeconds(30)).until(() -> replicaSets().getFirst().getSpec().getTemplate().getSpec().getContainers().getFirst()
                .getImage().equals("registry.example/web:v1"));

        cluster.client.services().inNamespace(NS).withName("web").edit(s -> {
            s.getSpec().setSelector(Map.of("app", "someone-else"));
            return s;
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.client.services().inNamespace(NS).withName("web").get().getSpec().getSelector()
                .equals(Map.of(Labels.ROLLOUT, "web")));
        assertThat(events("DriftCorrected")).anySatisfy(m -> assertThat(m).contains("Service web's selector was changed out of band"));

        // Report only: the change stays, said in an event and a condition.
        ClusterApply.apply(cluster.client, NS, rollout("  driftPolicy: report\n", true));
        await().atMost(Duration.ofSeconds(30)).until(() -> phase().equals("Complete"));
        cluster.client.apps().replicaSets().inNamespace(NS).withName(rs).scale(4);
        await().atMost(Duration.ofSeconds(30)).until(() -> events("Drifted").stream().anyMatch(m -> m.contains("scaled to 4 out of band")));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var status = cluster.client.resources(RolloutResource.class).inNamespace(NS).withName("web").get().getStatus();
            return String.valueOf(status.get("conditions")).contains("Drifted");
        });
        long passes = operator.passes();
        await().atMost(Duration.ofSeconds(30)).until(() -> operator.passes() > passes + 3);
        assertThat(replicaSets().getFirst().getSpec().getReplicas()).isEqualTo(4);
    }
}
