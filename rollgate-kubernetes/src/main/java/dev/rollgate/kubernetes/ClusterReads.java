package dev.rollgate.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a Rollout's ReplicaSets and pods are read from each pass: the operator's informer caches
 * ({@link #cached}), or the API server for a CLI that has no informers ({@link #live}). What the
 * controller writes reaches the reads at once ({@link #created}, {@link #updated}), so the next
 * pass, which may come before the watch event, never decides on what it just changed.
 */
interface ClusterReads {

    List<ReplicaSet> replicaSets(String namespace, String rollout);

    List<Pod> pods(String namespace, String rollout);

    /** A ReplicaSet the controller just created. */
    default void created(ReplicaSet rs) {}

    /** A ReplicaSet the controller just changed, and what it was before. */
    default void updated(ReplicaSet rs, ReplicaSet before) {}

    /** Each read a LIST on the API server. */
    static ClusterReads live(KubernetesClient client) {
        return new ClusterReads() {
            @Override
            public List<ReplicaSet> replicaSets(String namespace, String rollout) {
                return client.apps().replicaSets().inNamespace(namespace).withLabel(Labels.ROLLOUT, rollout).list().getItems();
            }

            @Override
            public List<Pod> pods(String namespace, String rollout) {
                return client.pods().inNamespace(namespace).withLabel(Labels.ROLLOUT, rollout).list().getItems();
            }
        };
    }

    /**
     * The operator's: the informers' caches, which the watches keep current. The controller's own writes go to the
     * informer's temporary cache; a listing reads the informer's store only, so the ReplicaSets written are looked up
     * by name as well ({@code get} reads the temporary cache first), and one deleted meanwhile is gone from both.
     */
    static ClusterReads cached(InformerEventSource<ReplicaSet, RolloutResource> replicaSets, InformerEventSource<Pod, RolloutResource> pods) {
        Set<ResourceID> written = ConcurrentHashMap.newKeySet();
        return new ClusterReads() {
            @Override
            public List<ReplicaSet> replicaSets(String namespace, String rollout) {
                Set<String> names = new TreeSet<>();
                replicaSets.list(namespace, rs -> rollout.equals(Labels.of(rs, Labels.ROLLOUT))).forEach(rs -> names.add(rs.getMetadata().getName()));
                written.stream().filter(id -> id.getNamespace().orElse("").equals(namespace)).forEach(id -> names.add(id.getName()));
                return names.stream().map(n -> replicaSets.get(new ResourceID(n, namespace)).orElse(null)).filter(Objects::nonNull)
                        .filter(rs -> rollout.equals(Labels.of(rs, Labels.ROLLOUT))).toList();
            }

            @Override
            public List<Pod> pods(String namespace, String rollout) {
                return pods.list(namespace, p -> rollout.equals(Labels.of(p, Labels.ROLLOUT))).toList();
            }

            @Override
            public void created(ReplicaSet rs) {
                written.add(ResourceID.fromResource(rs));
                replicaSets.handleRecentResourceCreate(owner(rs), rs);
            }

            @Override
            public void updated(ReplicaSet rs, ReplicaSet before) {
                written.add(ResourceID.fromResource(rs));
                replicaSets.handleRecentResourceUpdate(owner(rs), rs, before);
            }

            private static ResourceID owner(ReplicaSet rs) {
                return new ResourceID(Labels.of(rs, Labels.ROLLOUT), rs.getMetadata().getNamespace());
            }
        };
    }
}
