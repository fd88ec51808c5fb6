package dev.rollgate.local.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollgate.spec.Template;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerRunTest {

    private static Template template(Map<String, Object> resources) {
        return new Template("v1", List.of(), Map.of("GREETING", "hi", "ROLLGATE_DAEMON", "/state"), null, null, null, null, null, 30,
                "127.0.0.1:5000/web@sha256:" + "ab".repeat(32), List.of("--verbose"), List.of(new Template.ContainerPort("http", 9090)),
                resources, Map.of());
    }

    @Test
    void oneLabelledContainerPerReplicaPublishedOnLoopbackWithInitAndTheHostsLimits() {
        ContainerRun run = ContainerRun.of(template(Map.of("limits", Map.of("memory", "64Mi", "cpu", "250m"))), "/var/lib/rollgate", "web",
                "abc1234567", "web-abc123-xk2lp", 41000);
        List<String> argv = run.argv();
        assertThat(argv).startsWith("run", "--rm", "--replace", "--init", "--pull", "never", "--name", run.name());
        assertThat(run.name()).startsWith("rollgate-web-abc123-xk2lp-");
        assertThat(String.join(" ", argv))
                .contains("--label dev.rollgate.state=/var/lib/rollgate", "--label dev.rollgate.service=web",
                        "--label dev.rollgate.revision=abc1234567", "--label dev.rollgate.replica=web-abc123-xk2lp")
                .contains("--ulimit nofile=1024:1024 --ulimit nproc=1024:1024")
                .contains("--publish 127.0.0.1:41000:9090", "--env PORT=9090", "--env GREETING", "--env ROLLGATE_REPLICA")
                .contains("--memory 67108864b", "--cpus 0.25")
                .endsWith("127.0.0.1:5000/web@sha256:" + "ab".repeat(32) + " --verbose")
                .as("values come from podman's environment, never the argv; the daemon's marker stays outside")
                .doesNotContain("GREETING=hi", "ROLLGATE_DAEMON");
    }

    @Test
    void twoStateDirectoriesNeverShareAContainerName() {
        assertThat(ContainerRun.name("/a", "web-1")).isNotEqualTo(ContainerRun.name("/b", "web-1"));
        assertThat(ContainerRun.name("/a", "web-1")).isEqualTo(ContainerRun.name("/a", "web-1"));
    }

    @Test
    void kubernetesQuantitiesBecomePodmansOrAreRefusedByName() {
        assertThat(ContainerRun.memory("512Mi")).isEqualTo("536870912b");
        assertThat(ContainerRun.memory("1G")).isEqualTo("1000000000b");
        assertThat(ContainerRun.memory("1000")).isEqualTo("1000b");
        assertThat(ContainerRun.cpus("1500m")).isEqualTo("1.5");
        assertThat(ContainerRun.cpus(2)).isEqualTo("2");
        assertThatThrownBy(() -> ContainerRun.memory("lots")).hasMessageContaining("resources.limits.memory").hasMessageContaining("lots");
        assertThatThrownBy(() -> ContainerRun.cpus("2Gi")).hasMessageContaining("resources.limits.cpu");
        assertThat(ContainerRun.of(template(Map.of()), "/s", "web", "h", "r", 1).argv()).doesNotContain("--memory", "--cpus");
        assertThat(ContainerRun.problem(template(Map.of("limits", Map.of("cpu", "lots"))))).get().asString()
                .startsWith("spec.template.resources.limits.cpu: \"lots\"");
        assertThat(ContainerRun.problem(template(Map.of("limits", Map.of("memory", "1Gi"))))).isEmpty();
    }
}
