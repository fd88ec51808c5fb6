package dev.rollgate.kubernetes;

import dev.rollgate.controller.Action;
import dev.rollgate.controller.Observed;
import dev.rollgate.controller.Platform;
import dev.rollgate.spec.ClusterSpec;
import dev.rollgate.spec.RolloutSpec;
import dev.rollgate.spec.SpecJson;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Kubernetes as the controller's platform: a revision group is a ReplicaSet owned by the Rollout,
 * named and labelled with its template hash as the Deployment controller does, its replicas are
 * its pods (ready and since when from their Ready condition, stopping once deleted). The
 * ReplicaSet controller and the kubelet start and stop pods; a scale-down ranks the pods to go
 * with {@code controller.kubernetes.io/pod-deletion-cost}. A {@code workloadRef} Deployment is
 * scaled down as the Rollout's replicas become available.
 */
final class ClusterPlatform implements Platform {

    private final KubernetesClient client;
    private final ClusterReads reads;
    private final String namespace;
    private final String name;
    private final Supplier<RolloutResource> owner;
    private final Supplier<RolloutSpec> spec;

    ClusterPlatform(KubernetesClient client, ClusterReads reads, String namespace, String name, Supplier<RolloutResource> owner,
                    Supplier<RolloutSpec> spec) {
        this.client = client;
        this.reads = reads;
        this.namespace = namespace;
        this.name = name;
        this.owner = owner;
        this.spec = spec;
    }

    private List<ReplicaSet> replicaSets() {
        return reads.replicaSets(namespace, name);
    }

    private ReplicaSet cached(String rsName) {
        return replicaSets().stream().filter(rs -> rsName.equals(rs.getMetadata().getName())).findFirst().orElse(null);
    }

    private static int revision(ReplicaSet rs) {
        return annotation(rs, Labels.REVISION);
    }

    private static int annotation(ReplicaSet rs, String key) {
        var a = rs.getMetadata().getAnnotations();
        String v = a == null ? null : a.get(key);
        return v == null ? 0 : Integer.parseInt(v);
    }

    @Override
    public List<Observed.Group> groups() {
        Map<String, List<Observed.Member>> members = new LinkedHashMap<>();
        for (Pod p : reads.pods(namespace, name)) {
            String hash = p.getMetadata().getLabels().get(Labels.POD_TEMPLATE_HASH);
            members.computeIfAbsent(hash, h -> new ArrayList<>()).add(member(p));
        }
        List<Observed.Group> out = new ArrayList<>();
        for (ReplicaSet rs : replicaSets()) {
            String hash = rs.getMetadata().getLabels().get(Labels.POD_TEMPLATE_HASH);
            var template = SpecJson.template(rs.getMetadata().getAnnotations().get(Labels.TEMPLATE));
            List<Observed.Member> ms = members.getOrDefault(hash, List.of()).stream()
                    .sorted(Comparator.comparing(Observed.Member::created).thenComparing(Observed.Member::id)).toList();
            int replicas = rs.getSpec().getReplicas() == null ? 0 : rs.getSpec().getReplicas();
            // The controller goes on from the size it set, not one set by someone else: that is drift, put back or reported (drift).
            Integer scaledTo = ReplicaSetDrift.scaledTo(rs);
            if (scaledTo != null) replicas = scaledTo;
            out.add(new Observed.Group(revision(rs), hash, template, replicas,
                    annotation(rs, Labels.DESIRED_REPLICAS), annotation(rs, Labels.MAX_REPLICAS),
                    Instant.parse(rs.getMetadata().getCreationTimestamp()), ms));
        }
        out.sort(Comparator.comparingInt(Observed.Group::revision));
        return out;
    }

    private static Observed.Member member(Pod p) {
        PodCondition ready = p.getStatus() == null || p.getStatus().getConditions() == null ? null
                : p.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
        boolean isReady = ready != null && "True".equals(ready.getStatus());
        Instant since = isReady && ready.getLastTransitionTime() != null ? Instant.parse(ready.getLastTransitionTime()) : null;
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        boolean terminated = "Succeeded".equals(phase) || "Failed".equals(phase);
        String created = p.getMetadata().getCreationTimestamp();
        return new Observed.Member(p.getMetadata().getName(), created == null ? Instant.EPOCH : Instant.parse(created), isReady && !terminated,
                since, p.getMetadata().getDeletionTimestamp() != null, terminated);
    }

    @Override
    public void create(Action.CreateGroup c) {
        String hash = Labels.hash(c.hash());
        ReplicaSet existing = replicaSets().stream().filter(rs -> hash.equals(rs.getMetadata().getLabels().get(Labels.POD_TEMPLATE_HASH)))
                .findFirst().orElse(null);
        if (existing != null) {
            reads.updated(Conflicts.retry(() -> client.apps().replicaSets().inNamespace(namespace).withName(existing.getMetadata().getName())
                    .edit(rs -> new ReplicaSetBuilder(rs).editMetadata().addToAnnotations(Labels.REVISION, Integer.toString(c.revision()))
                            .endMetadata().build())), existing);
            SourceCopies.ensure(client, namespace, c.template(), existing);
            return;
        }
        RolloutResource rollout = owner.get();
        var ownerRef = new OwnerReferenceBuilder().withApiVersion(RolloutResource.API_VERSION).withKind("Rollout")
                .withName(rollout.getMetadata().getName()).withUid(rollout.getMetadata().getUid()).withController(true)
                .withBlockOwnerDeletion(true).build();
        ReplicaSet rs = new ReplicaSetBuilder().withNewMetadata().withName(name + "-" + hash).withNamespace(namespace)
                .addToLabels(Labels.ROLLOUT, name).addToLabels(Labels.POD_TEMPLATE_HASH, hash).addToLabels(Labels.MANAGED_BY, "rollgate")
                .addToAnnotations(Labels.REVISION, Integer.toString(c.revision()))
                .addToAnnotations(Labels.TEMPLATE, SpecJson.write(c.template()))
                .addToAnnotations(Labels.SCALED_TO, "0")
                .withOwnerReferences(ownerRef).endMetadata()
                .withNewSpec().withReplicas(0).withNewSelector().addToMatchLabels(Labels.ROLLOUT, name)
                .addToMatchLabels(Labels.POD_TEMPLATE_HASH, hash).endSelector()
                .withTemplate(PodTemplates.of(name, c.template(), hash)).endSpec().build();
        ReplicaSet created = client.apps().replicaSets().inNamespace(namespace).resource(rs).create();
        reads.created(created);
        SourceCopies.ensure(client, namespace, c.template(), created);
    }

    /**
     * What was changed out of band on the Rollout's ReplicaSets; with {@code heal}, put back (the replicas the operator set,
     * the pod template its Rollgate template gives).
     */
    List<String> drift(boolean heal) {
        List<String> found = new ArrayList<>();
        for (ReplicaSet rs : replicaSets()) {
            List<String> d = ReplicaSetDrift.of(name, rs);
            if (d.isEmpty()) continue;
            found.addAll(d);
            if (!heal) continue;
            Integer set = ReplicaSetDrift.scaledTo(rs);
            var want = ReplicaSetDrift.expected(name, rs);
            reads.updated(Conflicts.retry(() -> client.apps().replicaSets().inNamespace(namespace).withName(rs.getMetadata().getName()).edit(x -> {
                ReplicaSetBuilder b = new ReplicaSetBuilder(x);
                if (set != null) b.editSpec().withReplicas(set).endSpec();
                if (want != null) b.editSpec().withTemplate(want).endSpec();
                return b.build();
            })), rs);
        }
        return found;
    }

    @Override
    public void scale(Action.ScaleGroup s) {
        // The ReplicaSet controller deletes the pods with the lowest deletion cost first: the ranking's first gets the lowest.
        for (int i = 0; i < s.remove().size(); i++) {
            String cost = Integer.toString(i - s.remove().size());
            String pod = s.remove().get(i);
            Conflicts.retry(() -> client.pods().inNamespace(namespace).withName(pod).edit(p -> {
                p.getMetadata().setAnnotations(Labels.with(p.getMetadata().getAnnotations(), Labels.DELETION_COST, cost));
                return p;
            }));
        }
        String rsName = name + "-" + Labels.hash(s.hash());
        ReplicaSet before = cached(rsName);
        ReplicaSet after = Conflicts.retry(() -> client.apps().replicaSets().inNamespace(namespace).withName(rsName).edit(rs -> new ReplicaSetBuilder(rs)
                .editMetadata().addToAnnotations(Labels.DESIRED_REPLICAS, Integer.toString(s.desiredFor()))
                .addToAnnotations(Labels.MAX_REPLICAS, Integer.toString(s.maxFor()))
                .addToAnnotations(Labels.SCALED_TO, Integer.toString(s.replicas())).endMetadata()
                .editSpec().withReplicas(s.replicas()).endSpec().build()));
        if (before != null) reads.updated(after, before);
    }


    @Override
    public void delete(Action.DeleteGroup d) {
        client.apps().replicaSets().inNamespace(namespace).withName(name + "-" + Labels.hash(d.hash())).delete();
    }

    /** workloadRef: the Deployment gives up a replica for each of the Rollout's that is available (Argo's progressive scale-down). */
    @Override
    public void converge() {
        RolloutSpec s = spec.get();
        ClusterSpec cluster = s.cluster();
        if (cluster == null || cluster.workloadRef() == null) return;
        var deployment = client.apps().deployments().inNamespace(namespace).withName(cluster.workloadRef().name());
        var d = deployment.get();
        if (d == null) return;
        long available = groups().stream().flatMap(g -> g.members().stream()).filter(m -> m.ready() && !m.stopping()).count();
        int want = (int) Math.max(0, s.replicas() - available);
        Integer now = d.getSpec().getReplicas();
        if (now == null || now > want) deployment.scale(want);
    }
}
