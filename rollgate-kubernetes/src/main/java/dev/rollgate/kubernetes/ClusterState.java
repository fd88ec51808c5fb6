package dev.rollgate.kubernetes;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rollgate.controller.RolloutEvent;
import dev.rollgate.controller.StateStore;
import dev.rollgate.controller.Verb;
import dev.rollgate.json.Json;
import dev.rollgate.rollout.TemplateHash;
import dev.rollgate.spec.ClusterSpec;
import dev.rollgate.spec.InvalidSpecException;
import dev.rollgate.spec.RolloutSpec;
import dev.rollgate.spec.Strategy;
import dev.rollgate.spec.Template;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Rollout object as the controller's {@link StateStore}: the spec as the user wrote it (plus
 * the pod template of its workloadRef, and the template a rollback, undo or restart put in its
 * place), its generation, and the status subresource, where everything the controller keeps lives.
 */
final class ClusterState implements StateStore {

    /** The Rollout's spec does not parse: the errors, with their field paths. */
    static final class InvalidRollout extends RuntimeException {
        final List<String> errors;

        InvalidRollout(List<String> errors) {
            super(String.join("; ", errors));
            this.errors = errors;
        }
    }

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final ClusterEvents events;
    private volatile RolloutResource resource;
    private volatile RolloutSpec written;
    private volatile RolloutSpec effective;
    private volatile VerbRequest pending;
    private volatile String lastVerb;
    private volatile String lastVerbResult;
    private volatile boolean verbUnsaved;

    /** A verb asked through the Rollout's {@value Labels#VERB} annotation and not carried out yet. */
    record VerbRequest(String verb, boolean full, int toRevision, String id) {

        static VerbRequest of(Verb verb, String id) {
            return new VerbRequest(verb.name(), verb instanceof Verb.Promote p && p.full(), verb instanceof Verb.Undo u ? u.toRevision() : 0, id);
        }

        /** The verb asked; empty for a name no verb has, or an undo to a negative revision. */
        Optional<Verb> asVerb() {
            return toRevision < 0 ? Optional.empty() : Verb.of(verb, toRevision, full);
        }
    }

    /** Whether {@code r}, as the operator was handed it, asks a verb not carried out yet (no load needed to tell). */
    boolean asks(RolloutResource r) {
        String done = verbUnsaved ? lastVerb : r.getStatus() == null ? null : (String) r.getStatus().get(ClusterStatus.LAST_VERB);
        return request(r, done) != null;
    }

    /** The verb asked and not carried out yet, as of the last load; null when none. */
    VerbRequest pending() {
        return pending;
    }

    /** The next save records that the verb {@code id} was carried out, with its answer. */
    void carriedOut(String id, String result) {
        lastVerb = id;
        lastVerbResult = result;
        verbUnsaved = true;
        pending = null;
    }

    ClusterState(KubernetesClient client, String namespace, String name, ClusterEvents events) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.events = events;
    }

    /**
     * What the last drift check found: healed, one {@code DriftCorrected} event each; reported, a {@code Drifted} event and
     * condition (and the findings in {@code status.drift}) while it lasts, written when it changes.
     */
    void drifted(List<String> found, boolean healed) {
        if (healed) {
            for (String f : found) events.record(resource, new RolloutEvent("Normal", "DriftCorrected", name, f + "; put back"));
            found = List.of();
        }
        List<String> before = resource.getStatus() != null && resource.getStatus().get(ClusterStatus.DRIFT) instanceof List<?> l
                ? l.stream().map(String::valueOf).toList() : List.of();
        if (found.equals(before)) return;
        if (!found.isEmpty()) events.record(resource, new RolloutEvent("Warning", "Drifted", name, String.join("; ", found)
                + " (driftPolicy: report: left as it is)"));
        List<String> now = found;
        RolloutResource copy = Json.fromMap(Json.toMap(resource), RolloutResource.class);
        Map<String, Object> status = copy.getStatus() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(copy.getStatus());
        ClusterStatus.withDrift(status, now);
        copy.setStatus(status);
        resource = client.resources(RolloutResource.class).inNamespace(namespace).resource(copy).updateStatus();
    }

    /** The object as last loaded. */
    RolloutResource resource() {
        return resource;
    }

    /** The spec the controller runs, as last loaded. */
    RolloutSpec spec() {
        return effective;
    }

    @Override
    public Stored load() {
        RolloutResource r = client.resources(RolloutResource.class).inNamespace(namespace).withName(name).get();
        if (r == null) throw new IllegalStateException("Rollout " + namespace + "/" + name + " is gone");
        RolloutSpec spec;
        try {
            spec = ClusterSpecs.parse(r, client.resources(AnalysisTemplateResource.class).inNamespace(namespace).list().getItems()).spec();
        } catch (InvalidSpecException e) {
            throw new InvalidRollout(e.errors().stream().map(Object::toString).toList());
        }
        spec = replicaRatio(withWorkload(spec));
        List<String> missing = new ArrayList<>();
        Map<String, Object> pins = heldPins(r, spec.template());
        Template pinned = SourceCopies.pin(client, namespace, spec.template(),
                ref -> pins.get(ref.id()) instanceof Number n ? n.intValue() : 0, missing);
        if (!missing.isEmpty()) throw new InvalidRollout(missing);
        spec = spec.withTemplate(pinned);
        resource = r;
        written = spec;
        if (!verbUnsaved) { // a verb carried out that changed nothing is recorded by the next save
            lastVerb = r.getStatus() == null ? null : (String) r.getStatus().get(ClusterStatus.LAST_VERB);
            lastVerbResult = r.getStatus() == null ? null : (String) r.getStatus().get(ClusterStatus.LAST_VERB_RESULT);
        }
        pending = request(r, lastVerb);
        Template override = ClusterStatus.override(r.getStatus(), TemplateHash.of(spec.template()));
        if (override != null) spec = spec.withTemplate(override);
        effective = spec;
        long generation = r.getMetadata().getGeneration() == null ? 1 : r.getMetadata().getGeneration();
        return new Stored(spec, generation, ClusterStatus.rolloutStatus(r.getStatus()));
    }

    /**
     * The versions the last pass pinned, by {@code kind/name}, while the spec's template is unchanged: a source with
     * {@code rolloutOnChange: false} keeps its version until the template changes for another reason.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> heldPins(RolloutResource r, Template user) {
        Map<String, Object> status = r.getStatus();
        if (status == null || !TemplateHash.of(user.withVersions(ref -> 0)).equals(status.get(ClusterStatus.PINS_FOR))) return Map.of();
        return status.get(ClusterStatus.PINS) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static VerbRequest request(RolloutResource r, String done) {
        var a = r.getMetadata().getAnnotations();
        String json = a == null ? null : a.get(Labels.VERB);
        if (json == null) return null;
        try {
            VerbRequest v = Json.MAPPER.readValue(json, VerbRequest.class);
            return v.id() == null || v.id().equals(done) ? null : v;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /**
     * A canary without an HTTPRoute splits traffic by replica counts (Argo's basic canary): stable
     * shrinks as the canary grows, so that the Services' endpoints carry about the step's weight.
     */
    private static RolloutSpec replicaRatio(RolloutSpec spec) {
        if (!(spec.strategy() instanceof Strategy.Canary c) || c.dynamicStableScale()) return spec;
        if (spec.cluster() != null && spec.cluster().httpRoute() != null) return spec;
        Strategy.Canary ratio = new Strategy.Canary(c.steps(), c.maxSurge(), c.maxUnavailable(), c.analysis(), c.scaleDownDelaySeconds(),
                c.abortScaleDownDelaySeconds(), true);
        return spec.withStrategy(ratio);
    }

    /** workloadRef: the Deployment's pod template is the Rollout's, unless the Rollout gives its own. */
    private RolloutSpec withWorkload(RolloutSpec spec) {
        ClusterSpec cluster = spec.cluster();
        if (cluster == null || cluster.workloadRef() == null || !spec.template().podTemplate().isEmpty()) return spec;
        Deployment d = client.apps().deployments().inNamespace(namespace).withName(cluster.workloadRef().name()).get();
        if (d == null) {
            throw new InvalidRollout(List.of("spec.workloadRef.name: no Deployment " + cluster.workloadRef().name() + " in namespace " + namespace));
        }
        Map<String, Object> pod = Json.toMap(d.getSpec().getTemplate());
        return spec.withTemplate(spec.template().withPodTemplate(pod));
    }

    /**
     * Stores the status (and a changed {@code paused}). The operator is the status's only writer:
     * verbs reach it through an annotation, so a pass never overwrites what someone else wrote; the
     * resourceVersion the pass loaded is sent along as well, so an API server refuses a stale write.
     */
    @Override
    public void save(Stored next, List<RolloutEvent> recorded) {
        RolloutSpec user = written;
        Template override = next.spec().template().equals(user.template()) ? null : next.spec().template();
        Map<String, Object> status = ClusterStatus.of(next.status(), TemplateHash.of(next.spec().template()), override,
                TemplateHash.of(user.template()), lastVerb, lastVerbResult);
        Map<String, Integer> pins = new LinkedHashMap<>();
        user.template().sources().forEach(s -> pins.put(s.id(), s.version()));
        if (!pins.isEmpty()) {
            status.put(ClusterStatus.PINS, pins);
            status.put(ClusterStatus.PINS_FOR, TemplateHash.of(user.template().withVersions(ref -> 0)));
        }
        if (resource.getStatus() != null && resource.getStatus().get(ClusterStatus.DRIFT) instanceof List<?> drift) {
            ClusterStatus.withDrift(status, drift.stream().map(String::valueOf).toList());
        }
        RolloutResource copy = Json.fromMap(Json.toMap(resource), RolloutResource.class);
        copy.setStatus(status);
        RolloutResource updated = client.resources(RolloutResource.class).inNamespace(namespace).resource(copy).updateStatus();
        if (next.spec().paused() != user.paused()) {
            boolean paused = next.spec().paused();
            updated = Conflicts.retry(() -> client.resources(RolloutResource.class).inNamespace(namespace).withName(name).edit(r -> {
                Map<String, Object> spec = new LinkedHashMap<>(r.getSpec());
                spec.put("paused", paused);
                r.setSpec(spec);
                return r;
            }));
            written = user.withPaused(paused);
        }
        resource = updated;
        verbUnsaved = false;
        for (RolloutEvent e : recorded) events.record(updated, e);
    }
}
