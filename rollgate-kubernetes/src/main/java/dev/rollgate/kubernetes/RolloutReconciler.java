package dev.rollgate.kubernetes;

import dev.rollgate.controller.Decision;
import dev.rollgate.controller.RolloutEvent;
import dev.rollgate.spec.ValueRef;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Java Operator SDK's side: each event on a Rollout, its ReplicaSets or its pods runs one pass
 * of that Rollout's {@link ClusterController}; the next pass is scheduled for when the decision
 * asks (a step's timer, minReadySeconds) and at least every {@link #RESYNC}. A deleted Rollout's
 * workloadRef Deployment is scaled back up before the finalizer goes.
 */
public final class RolloutReconciler implements Reconciler<RolloutResource>, Cleaner<RolloutResource> {

    static final Duration RESYNC = Duration.ofSeconds(2);

    private final KubernetesClient client;
    private final ClusterEvents events;
    private final Map<ResourceID, ClusterController> controllers = new ConcurrentHashMap<>();
    /** The ReplicaSets and pods each pass reads: the informers' caches, once the event sources exist. */
    private volatile ClusterReads clusterReads;
    private final Map<ResourceID, String> invalid = new ConcurrentHashMap<>();
    /** The sources ({@code kind/name}) each Rollout's template read at its last pass, for the Secret and ConfigMap informers. */
    private final Map<ResourceID, Set<String>> reads = new ConcurrentHashMap<>();
    /** Each Rollout's revision and phase after this operator's last pass over it, for /metrics. */
    record Standing(int revision, String phase) {}

    private final Map<ResourceID, Standing> standing = new ConcurrentHashMap<>();
    final AtomicLong passes = new AtomicLong();
    final AtomicLong failures = new AtomicLong();

    public RolloutReconciler(KubernetesClient client) {
        this.client = client;
        this.events = new ClusterEvents(client);
    }

    @Override
    public List<EventSource<?, RolloutResource>> prepareEventSources(EventSourceContext<RolloutResource> context) {
        var replicaSets = InformerEventSourceConfiguration.from(ReplicaSet.class, RolloutResource.class)
                .withName("replicasets").withLabelSelector(Labels.ROLLOUT)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(RolloutResource.class)).build();
        var pods = InformerEventSourceConfiguration.from(Pod.class, RolloutResource.class)
                .withName("pods").withLabelSelector(Labels.ROLLOUT)
                .withSecondaryToPrimaryMapper((Pod p) -> Set.of(new ResourceID(p.getMetadata().getLabels().get(Labels.ROLLOUT),
                        p.getMetadata().getNamespace()))).build();
        // A Secret or ConfigMap a Rollout's template reads: a change is a pass of each Rollout reading it (a new revision);
        // the per-revision copies, which nothing edits, are left out.
        var secrets = InformerEventSourceConfiguration.from(Secret.class, RolloutResource.class)
                .withName("secrets").withLabelSelector("!" + Labels.COPY_OF)
                .withSecondaryToPrimaryMapper((Secret s) -> readers(s.getMetadata().getNamespace(), ValueRef.id(ValueRef.Kind.SECRET, s.getMetadata().getName()))).build();
        var configMaps = InformerEventSourceConfiguration.from(ConfigMap.class, RolloutResource.class)
                .withName("configmaps").withLabelSelector("!" + Labels.COPY_OF)
                .withSecondaryToPrimaryMapper((ConfigMap c) -> readers(c.getMetadata().getNamespace(), ValueRef.id(ValueRef.Kind.CONFIG_MAP, c.getMetadata().getName()))).build();
        var replicaSetSource = new InformerEventSource<>(replicaSets, context);
        var podSource = new InformerEventSource<>(pods, context);
        clusterReads = ClusterReads.cached(replicaSetSource, podSource);
        return List.of(replicaSetSource, podSource, new InformerEventSource<>(secrets, context), new InformerEventSource<>(configMaps, context));
    }

    /** The Rollouts whose template read {@code source} ({@link ValueRef#id}) at their last pass. */
    private Set<ResourceID> readers(String namespace, String source) {
        Set<ResourceID> out = new HashSet<>();
        reads.forEach((rollout, sources) -> {
            if (rollout.getNamespace().orElse("").equals(namespace) && sources.contains(source)) out.add(rollout);
        });
        return out;
    }

    @Override
    public UpdateControl<RolloutResource> reconcile(RolloutResource rollout, Context<RolloutResource> context) {
        ResourceID id = ResourceID.fromResource(rollout);
        ClusterController c = controllers.computeIfAbsent(id, k -> new ClusterController(client, clusterReads, rollout.getMetadata().getNamespace(),
                rollout.getMetadata().getName(), events, () -> {}));
        passes.incrementAndGet();
        try {
            Decision d = c.pass(rollout);
            invalid.remove(id);
            reads.put(id, c.sources());
            standing.put(id, new Standing(d.status().revision(), d.status().phase()));
            Duration next = RESYNC;
            if (d.wakeAt() != null) {
                Duration until = Duration.between(Instant.now(), d.wakeAt()).plusMillis(5);
                if (until.compareTo(next) < 0) next = until.isNegative() ? Duration.ZERO : until;
            }
            return UpdateControl.<RolloutResource>noUpdate().rescheduleAfter(next);
        } catch (ClusterState.InvalidRollout e) {
            // Said once per distinct error; nothing is changed until the spec is fixed.
            if (!e.getMessage().equals(invalid.put(id, e.getMessage()))) {
                events.record(rollout, new RolloutEvent("Warning", "InvalidSpec", rollout.getMetadata().getName(), e.getMessage()));
            }
            return UpdateControl.<RolloutResource>noUpdate().rescheduleAfter(RESYNC.multipliedBy(5));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) return UpdateControl.<RolloutResource>noUpdate().rescheduleAfter(Duration.ZERO); // changed meanwhile: decide again
            failures.incrementAndGet();
            events.record(rollout, new RolloutEvent("Warning", "ReconcileFailed", rollout.getMetadata().getName(), String.valueOf(e.getMessage())));
            return UpdateControl.<RolloutResource>noUpdate().rescheduleAfter(RESYNC);
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            events.record(rollout, new RolloutEvent("Warning", "ReconcileFailed", rollout.getMetadata().getName(), String.valueOf(e.getMessage())));
            return UpdateControl.<RolloutResource>noUpdate().rescheduleAfter(RESYNC);
        }
    }

    @Override
    public DeleteControl cleanup(RolloutResource rollout, Context<RolloutResource> context) {
        standing.remove(ResourceID.fromResource(rollout));
        reads.remove(ResourceID.fromResource(rollout));
        ClusterController c = controllers.remove(ResourceID.fromResource(rollout));
        if (c != null) c.close();
        Object ref = rollout.getSpec() == null ? null : rollout.getSpec().get("workloadRef");
        if (ref instanceof Map<?, ?> m && m.get("name") instanceof String deployment) {
            Object replicas = rollout.getSpec().getOrDefault("replicas", 1);
            var d = client.apps().deployments().inNamespace(rollout.getMetadata().getNamespace()).withName(deployment);
            // The workload the Rollout took over serves again: deleting the Rollout never leaves the service without pods.
            if (d.get() != null) d.scale(((Number) replicas).intValue());
        }
        return DeleteControl.defaultDelete();
    }

    /** Each Rollout's revision and phase as this operator last decided them, by namespace and name. */
    Map<ResourceID, Standing> standing() {
        Map<ResourceID, Standing> sorted = new TreeMap<>(Comparator.comparing((ResourceID r) -> r.getNamespace().orElse(""))
                .thenComparing(ResourceID::getName));
        sorted.putAll(standing);
        return sorted;
    }

    /** Rollouts with a controller in this process. */
    int rollouts() {
        return controllers.size();
    }
}
