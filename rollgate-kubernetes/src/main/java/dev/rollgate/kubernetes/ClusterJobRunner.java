package dev.rollgate.kubernetes;

import dev.rollgate.analysis.AnalysisPhase;
import dev.rollgate.analysis.run.JobRunner;
import dev.rollgate.analysis.run.Reading;
import dev.rollgate.spec.AnalysisTemplate;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * A job metric on Kubernetes: a batch/v1 Job running the command in the Rollout's current image
 * (no retries), Successful when it succeeds, Failed when it fails, Error at the metric's timeout.
 * The Job is deleted, with its pod, once it is decided.
 */
final class ClusterJobRunner implements JobRunner {

    private final KubernetesClient client;
    private final String namespace;
    private final String rollout;
    private final Supplier<String> image;

    ClusterJobRunner(KubernetesClient client, String namespace, String rollout, Supplier<String> image) {
        this.client = client;
        this.namespace = namespace;
        this.rollout = rollout;
        this.image = image;
    }

    @Override
    public Reading run(AnalysisTemplate.Provider.Job j, List<String> argv) throws InterruptedException {
        String jobName = rollout + "-job-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 24).toLowerCase(Locale.ROOT);
        Job job = new JobBuilder().withNewMetadata().withName(jobName).withNamespace(namespace).addToLabels(Labels.ROLLOUT, rollout)
                .addToLabels(Labels.MANAGED_BY, "rollgate").endMetadata()
                .withNewSpec().withBackoffLimit(0).withActiveDeadlineSeconds((long) j.timeoutSeconds())
                .withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("job").withImage(image.get()).withCommand(argv).endContainer()
                .endSpec().endTemplate().endSpec().build();
        var handle = client.batch().v1().jobs().inNamespace(namespace).resource(job);
        handle.create();
        long end = System.nanoTime() + j.timeoutSeconds() * 1_000_000_000L;
        try {
            while (System.nanoTime() < end) {
                Job now = client.batch().v1().jobs().inNamespace(namespace).withName(jobName).get();
                var st = now == null ? null : now.getStatus();
                if (st != null && st.getSucceeded() != null && st.getSucceeded() > 0) {
                    return new Reading(0, AnalysisPhase.SUCCESSFUL, "job " + jobName + " succeeded");
                }
                if (st != null && st.getFailed() != null && st.getFailed() > 0) {
                    return new Reading(1, AnalysisPhase.FAILED, "job " + jobName + " failed");
                }
                Thread.sleep(500);
            }
            return new Reading(null, AnalysisPhase.ERROR, "job " + jobName + " timed out after " + j.timeoutSeconds() + "s");
        } finally {
            client.batch().v1().jobs().inNamespace(namespace).withName(jobName).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        }
    }
}
