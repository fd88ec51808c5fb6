package dev.rollgate.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.LinkedHashMap;
import java.util.Map;

/** The labels and annotations Rollgate puts on what it creates, named as the Deployment controller and Argo Rollouts name theirs. */
final class Labels {

    /** Every object of a Rollout carries its name. */
    static final String ROLLOUT = "rollouts.rollgate.dev/rollout";
    /** A ReplicaSet's and its pods' template hash, as the Deployment controller labels them. */
    static final String POD_TEMPLATE_HASH = "pod-template-hash";
    static final String REVISION = "rollouts.rollgate.dev/revision";
    static final String DESIRED_REPLICAS = "rollouts.rollgate.dev/desired-replicas";
    static final String MAX_REPLICAS = "rollouts.rollgate.dev/max-replicas";
    /** The Rollgate template a ReplicaSet runs (JSON), so a revision can be rolled back to. */
    static final String TEMPLATE = "rollouts.rollgate.dev/template";
    /** The ReplicaSet controller removes the pods with the lowest cost first. */
    static final String DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    /** A verb asked of the operator (JSON: verb, full, toRevision, id); the status says which id it carried out last. */
    static final String VERB = "rollouts.rollgate.dev/verb";

    /** On a per-revision copy of a Secret or ConfigMap: the name of the object it copies. */
    static final String COPY_OF = "rollouts.rollgate.dev/copy-of";
    /** On a ReplicaSet: the replicas the operator last set, so a scale by anyone else is drift. */
    static final String SCALED_TO = "rollouts.rollgate.dev/scaled-to";

    private Labels() {}

    /** The value of label {@code key} on {@code o}, or null. */
    static String of(HasMetadata o, String key) {
        Map<String, String> labels = o.getMetadata().getLabels();
        return labels == null ? null : labels.get(key);
    }

    /** {@code labels} (or annotations, or none) with {@code key} set to {@code value}: a new map, for an object's metadata. */
    static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> out = labels == null ? new LinkedHashMap<>() : new LinkedHashMap<>(labels);
        out.put(key, value);
        return out;
    }

    /** Kubernetes' label values are at most 63 characters; Rollgate's template hashes are 10. */
    static String hash(String templateHash) {
        return templateHash.length() > 10 ? templateHash.substring(0, 10) : templateHash;
    }
}
