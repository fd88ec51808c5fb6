package dev.rollgate.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.analysis.AnalysisPhase;
import dev.rollgate.spec.AnalysisTemplate;
import dev.rollgate.testkit.kubernetes.MockCluster;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A job metric on a cluster: a Job in the Rollout's image, decided by its status, deleted afterwards. */
class ClusterJobRunnerTest {

    /** Plays the Job controller: the first Job it sees succeeds (or fails). */
    private static Thread finisher(MockCluster cluster, boolean succeed) {
        return Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                for (Job j : cluster.client.batch().v1().jobs().inNamespace("shop").list().getItems()) {
                    if (j.getStatus() != null && (j.getStatus().getSucceeded() != null || j.getStatus().getFailed() != null)) continue;
                    cluster.client.batch().v1().jobs().inNamespace("shop").withName(j.getMetadata().getName()).editStatus(x -> {
                        x.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder()
                                .withSucceeded(succeed ? 1 : null).withFailed(succeed ? null : 1).build());
                        return x;
                    });
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    @Test
    void aJobRunsTheCommandInTheRolloutsImageAndItsOutcomeIsTheMeasurement() throws Exception {
        try (MockCluster cluster = new MockCluster(Crds.all(), "shop", "rollgate-system")) {
            Thread t = finisher(cluster, true);
            ClusterJobRunner runner = new ClusterJobRunner(cluster.client, "shop", "web", () -> "registry.example/web:v2");
            var job = new AnalysisTemplate.Provider.Job(List.of("smoke", "--target", "web-preview"), 10);
            var reading = runner.run(job, job.command());
            t.interrupt();
            assertThat(reading.outcome()).isEqualTo(AnalysisPhase.SUCCESSFUL);
            assertThat(reading.message()).startsWith("job web-job-").endsWith(" succeeded");
            assertThat(cluster.client.batch().v1().jobs().inNamespace("shop").list().getItems()).as("deleted once decided").isEmpty();
        }
        try (MockCluster cluster = new MockCluster(Crds.all(), "shop", "rollgate-system")) {
            Thread t = finisher(cluster, false);
            var job = new AnalysisTemplate.Provider.Job(List.of("smoke"), 10);
            var reading = new ClusterJobRunner(cluster.client, "shop", "web", () -> "registry.example/web:v2").run(job, job.command());
            t.interrupt();
            assertThat(reading.outcome()).isEqualTo(AnalysisPhase.FAILED);
        }
    }

    @Test
    void aJobThatNeverFinishesIsAnErrorAtItsTimeout() throws Exception {
        try (MockCluster cluster = new MockCluster(Crds.all(), "shop", "rollgate-system")) {
            var job = new AnalysisTemplate.Provider.Job(List.of("sleep", "infinity"), 1);
            var reading = new ClusterJobRunner(cluster.client, "shop", "web", () -> "busybox").run(job, job.command());
            assertThat(reading.outcome()).isEqualTo(AnalysisPhase.ERROR);
            assertThat(reading.message()).endsWith("timed out after 1s");
        }
    }
}
