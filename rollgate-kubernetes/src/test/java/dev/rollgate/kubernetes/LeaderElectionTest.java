package dev.rollgate.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rollgate.testkit.kubernetes.MockCluster;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two operators, as deploy/operator.yaml runs them: one holds the Lease and reconciles, the other
 * waits and reconciles nothing; when the leader goes, the other takes the Lease and goes on with
 * the same Rollouts.
 */
class LeaderElectionTest {

    private static final String NS = KubernetesRolloutTest.NS;
    private static final String LEASE_NS = "rollgate-system";

    private MockCluster cluster;
    private RolloutOperator first, second;

    @AfterEach
    void stop() {
        if (first != null) first.close();
        if (second != null) second.close();
        if (cluster != null) cluster.close();
    }

    private String holder() {
        Lease lease = cluster.client.leases().inNamespace(LEASE_NS).withName(RolloutOperator.LEASE).get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    private String phase() {
        RolloutResource r = cluster.client.resources(RolloutResource.class).inNamespace(NS).withName("web").get();
        return r == null || r.getStatus() == null ? "" : r.getStatus().get("phase") + " " + r.getStatus().get("currentPodHash");
    }

    private static long passes(RolloutOperator operator) {
        return operator.metrics().lines().filter(l -> l.startsWith("rollgate_operator_reconciles_total ")).mapToLong(l -> Long.parseLong(l.split(" ")[1]))
                .findFirst().orElseThrow();
    }

    @Test
    void oneOperatorLeadsAndTheOtherTakesOverWhenItGoes() throws Exception {
        cluster = new MockCluster(Crds.all(), "shop", "rollgate-system");
        // What the API server would answer the operators' SelfSubjectRulesReview with: leave to use Leases there.
        cluster.server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewStatus().addNewResourceRule()
                        .withApiGroups("coordination.k8s.io").withResources("leases").withVerbs("get", "create", "update").endResourceRule()
                        .withIncomplete(false).endStatus().build())
                .always();
        first = RolloutOperator.start(cluster.client, new RolloutOperator.Options(NS, LEASE_NS, 0, "operator-a", false));
        await().atMost(Duration.ofSeconds(30)).until(() -> "operator-a".equals(holder()));
        second = RolloutOperator.start(cluster.client, new RolloutOperator.Options(NS, LEASE_NS, 0, "operator-b", false));

        ClusterApply.apply(cluster.client, NS, KubernetesRolloutTest.rolling("v1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> phase().startsWith("Complete"));
        String v1 = phase();
        assertThat(holder()).isEqualTo("operator-a");
        assertThat(passes(first)).isPositive();
        assertThat(passes(second)).as("the follower reconciles nothing").isZero();

        first.close();
        first = null;
        await().atMost(Duration.ofSeconds(40)).until(() -> "operator-b".equals(holder()));
        ClusterApply.apply(cluster.client, NS, KubernetesRolloutTest.rolling("v2"));
        await().atMost(Duration.ofSeconds(40)).until(() -> phase().startsWith("Complete") && !phase().equals(v1));
        assertThat(passes(second)).isPositive();
    }
}
