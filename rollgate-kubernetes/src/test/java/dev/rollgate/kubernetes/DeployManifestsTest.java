package dev.rollgate.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.testkit.kubernetes.MockCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every manifest in deploy/ is what fabric8's typed model reads without an unknown field, and the mock API server takes it. */
class DeployManifestsTest {

    static final Path DEPLOY = Path.of("../deploy");

    static List<HasMetadata> manifests() throws Exception {
        List<HasMetadata> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(DEPLOY)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (String doc : Files.readString(f).split("(?m)^---\\s*$")) {
                    if (doc.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) continue;
                    Object o = Serialization.unmarshal(doc);
                    assertThat(o).as(f + ": a typed Kubernetes object").isInstanceOf(HasMetadata.class);
                    List<String> unknown = new ArrayList<>();
                    unknownFields(o, f.getFileName() + ":" + ((HasMetadata) o).getKind(), unknown);
                    assertThat(unknown).as("fields the typed model does not know").isEmpty();
                    out.add((HasMetadata) o);
                }
            }
        }
        return out;
    }

    /** Whatever the model keeps in additionalProperties it did not know: a typo, or a field of another version. */
    private static void unknownFields(Object o, String path, List<String> out) throws Exception {
        if (o == null || !o.getClass().getName().startsWith("io.fabric8")) return;
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getName().equals("getClass")) continue;
            Object v = m.invoke(o);
            if (m.getName().equals("getAdditionalProperties")) {
                if (v instanceof Map<?, ?> map && !map.isEmpty()) out.add(path + ": " + map.keySet());
                continue;
            }
            if (v instanceof Collection<?> c) {
                for (Object e : c) unknownFields(e, path + "." + m.getName().substring(3), out);
            } else if (v instanceof KubernetesResource || (v != null && v.getClass().getName().startsWith("io.fabric8.kubernetes.api.model"))) {
                unknownFields(v, path + "." + m.getName().substring(3), out);
            }
        }
    }

    @Test
    void everyManifestIsReadStrictlyAndCreatedOnTheMockApiServer() throws Exception {
        List<HasMetadata> all = manifests();
        assertThat(all).extracting(HasMetadata::getKind).contains("CustomResourceDefinition", "ClusterRole", "ServiceAccount",
                "Deployment", "PodDisruptionBudget", "Namespace");
        try (MockCluster cluster = new MockCluster(Crds.all(), "shop", "rollgate-system")) {
            for (HasMetadata m : all) cluster.client.resource(m).create();
            var d = cluster.client.apps().deployments().inNamespace("rollgate-system").withName("rollgate-operator").get();
            assertThat(d.getSpec().getTemplate().getSpec().getContainers().getFirst().getArgs()).startsWith("operator");
        }
    }

    @Test
    void theCrdsInDeployAreTheOnesGeneratedFromTheSpecDeclaration() throws Exception {
        assertThat(Files.readString(DEPLOY.resolve("crds.yaml"))).as("regenerate with: ./rollgate schema --crd > deploy/crds.yaml")
                .isEqualTo(Crds.yaml());
        var rollout = Crds.rollout();
        var spec = rollout.getSpec().getVersions().getFirst().getSchema().getOpenAPIV3Schema().getProperties().get("spec");
        assertThat(spec.getProperties()).containsKeys("replicas", "strategy", "template", "workloadRef");
        assertThat(spec.getProperties().get("template").getProperties().get("podTemplate").getXKubernetesPreserveUnknownFields()).isTrue();
        assertThat(rollout.getSpec().getVersions().getFirst().getSubresources().getStatus()).isNotNull();
    }

    @Test
    void theOperatorsRoleNamesEachVerbItUsesAndNoWildcard() throws Exception {
        var role = manifests().stream().filter(m -> m.getKind().equals("ClusterRole")).findFirst().map(m -> (io.fabric8.kubernetes.api.model.rbac.ClusterRole) m)
                .orElseThrow();
        assertThat(role.getRules()).allSatisfy(r -> {
            assertThat(r.getVerbs()).doesNotContain("*");
            assertThat(r.getResources()).doesNotContain("*");
        });
        assertThat(role.getRules()).anySatisfy(r -> assertThat(r.getResources()).containsExactly("rollouts/status"));
    }

    @Test
    void aMisspelledFieldIsFound() throws Exception {
        Object d = Serialization.unmarshal("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  replicaz: 3
                  template: {spec: {containers: [{name: c, image: i, readinessProbes: {}}]}}
                """);
        List<String> unknown = new ArrayList<>();
        unknownFields(d, "Deployment", unknown);
        assertThat(unknown).hasSize(2).anySatisfy(u -> assertThat(u).contains("replicaz")).anySatisfy(u -> assertThat(u).contains("readinessProbes"));
    }

    @Test
    void theKubernetesExamplesParseAndApply() throws Exception {
        try (MockCluster cluster = new MockCluster(Crds.all(), "shop", "rollgate-system"); Stream<Path> files = Files.list(Path.of("../examples/kubernetes"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                String name = f.getFileName().toString().replace(".yaml", "");
                var applied = ClusterApply.apply(cluster.client, name, Files.readString(f));
                assertThat(applied).as(f.toString()).isNotEmpty().allSatisfy(a -> assertThat(a.result()).isEqualTo("created"));
            }
        }
    }
}
