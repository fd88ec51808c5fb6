package dev.rollgate.kubernetes;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollgate.testkit.Loopback;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;

/** The operator says what a cluster lacks before it starts, instead of waiting in silence. */
class PreflightTest {

    @Test
    void aServerThatDoesNotAnswerIsNamedWithWhatKeptTheCallFromIt() throws Exception {
        int port = Loopback.freePort();
        var config = new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + port).withRequestRetryBackoffLimit(0).build();
        try (var client = new KubernetesClientBuilder().withConfig(config).build()) {
            assertThatThrownBy(() -> Preflight.check(client, "shop")).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("cannot reach the API server at http://127.0.0.1:" + port + "/: ")
                    .hasMessageContaining("ConnectException")
                    .hasMessageEndingWith("(is the kubeconfig's server right, and the cluster up?)");
        }
    }

    @Test
    void aClusterWithoutTheCrdOrWithoutLeaveToListIsToldWhatToDo() {
        var server = new KubernetesMockServer(false);
        server.init();
        try (var client = server.createClient()) {
            // nothing expected: every path is a 404, as for a resource the API server does not serve
            assertThatThrownBy(() -> Preflight.check(client, null))
                    .hasMessageEndingWith("does not serve Rollouts: install the CRDs first"
                            + " (./rollgate schema --crd | kubectl apply -f -, or kubectl apply -f deploy/crds.yaml)");
            server.expect().get().withPath("/apis/rollgate.dev/v1alpha1/namespaces/shop/rollouts?limit=1")
                    .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden")
                            .withMessage("rollouts.rollgate.dev is forbidden: User \"system:serviceaccount:shop:default\" cannot list resource").build())
                    .always();
            assertThatThrownBy(() -> Preflight.check(client, "shop"))
                    .hasMessage("not allowed to list Rollouts in namespace shop (403): bind the operator's ServiceAccount to its role (deploy/rbac.yaml)");
        } finally {
            server.destroy();
        }
    }
}
