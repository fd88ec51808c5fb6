package dev.rollgate.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.TreeMap;

/**
 * The digest each ReplicaSet of a Rollout runs, as the kubelet reports it: a running pod's
 * {@code imageID} (e.g. {@code docker-pullable://registry/web@sha256:…}), keyed by pod-template-hash.
 * A tag in the template may have moved since; this is the build that is live.
 */
final class RunningImages {

    private RunningImages() {}

    static Map<String, String> of(KubernetesClient client, String namespace, String rollout) {
        Map<String, String> out = new TreeMap<>();
        for (Pod p : client.pods().inNamespace(namespace).withLabel(Labels.ROLLOUT, rollout).list().getItems()) {
            String hash = p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get(Labels.POD_TEMPLATE_HASH);
            if (hash == null || p.getStatus() == null || p.getStatus().getContainerStatuses() == null) continue;
            for (ContainerStatus c : p.getStatus().getContainerStatuses()) {
                String digest = digest(c.getImageID());
                if (digest == null) continue;
                if (PodTemplates.CONTAINER.equals(c.getName())) out.put(hash, digest);   // the app's, when a pod template has more
                else out.putIfAbsent(hash, digest);
            }
        }
        return out;
    }

    /** {@code name@sha256:…} from an imageID, whatever runtime prefix it carries; null when it names no digest. */
    static String digest(String imageId) {
        if (imageId == null || !imageId.contains("@sha256:")) return null;
        int scheme = imageId.indexOf("://");
        return scheme < 0 ? imageId : imageId.substring(scheme + 3);
    }
}
