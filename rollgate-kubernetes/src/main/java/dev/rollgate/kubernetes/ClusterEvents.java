package dev.rollgate.kubernetes;

import dev.rollgate.controller.RolloutEvent;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** Records the controller's events as core/v1 Events on the Rollout, as {@code kubectl describe} and {@code kubectl events} show them. */
final class ClusterEvents {

    static final String COMPONENT = "rollgate-operator";

    private final KubernetesClient client;

    ClusterEvents(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Named as client-go names events, {@code NAME.<unix nanoseconds in hex>}: unique, and in the
     * order they happened where the API server keeps their timestamps to the second.
     */
    private static long nextStamp() {
        Instant now = Instant.now();
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        return LAST.accumulateAndGet(nanos, (last, next) -> Math.max(last + 1, next));
    }

    private static final AtomicLong LAST = new AtomicLong();

    void record(RolloutResource rollout, RolloutEvent e) {
        String now = Instant.now().toString();
        var involved = new ObjectReferenceBuilder().withApiVersion(RolloutResource.API_VERSION).withKind("Rollout")
                .withName(rollout.getMetadata().getName()).withNamespace(rollout.getMetadata().getNamespace())
                .withUid(rollout.getMetadata().getUid()).build();
        String object = e.object().equals(rollout.getMetadata().getName()) ? "" : e.object() + ": ";
        var event = new EventBuilder().withNewMetadata()
                .withName(rollout.getMetadata().getName() + "." + Long.toHexString(nextStamp()))
                .withNamespace(rollout.getMetadata().getNamespace()).endMetadata()
                .withInvolvedObject(involved).withType(e.type()).withReason(e.reason()).withMessage(object + e.message())
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1).withNewSource().withComponent(COMPONENT).endSource().build();
        try {
            client.v1().events().inNamespace(rollout.getMetadata().getNamespace()).resource(event).create();
        } catch (KubernetesClientException ignored) {
            // an event that cannot be written is not worth failing a pass for; the status says the same
        }
    }
}
