package dev.rollgate.kubernetes;

import dev.rollgate.controller.Observed;
import dev.rollgate.controller.RolloutStatus;
import dev.rollgate.controller.StateStore;
import dev.rollgate.controller.Verb;
import dev.rollgate.controller.VerbResult;
import dev.rollgate.json.Json;
import dev.rollgate.spec.RolloutSpec;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Rollouts of one namespace as the {@code rollgate} command sees them: what they are and the
 * verbs ({@code rollout undo | restart | pause | resume | promote | abort | retry}), run as the
 * same pure transitions as on the embedded platform and stored in the Rollout, where the operator
 * picks them up on its next pass.
 */
public final class ClusterRollouts {

    /**
     * One Rollout: its spec as the controller runs it, generation, status, its ReplicaSets with their pods, and the
     * image each ReplicaSet (by pod-template-hash) is seen running: the digest of its pods' {@code imageID}.
     */
    public record View(String name, RolloutSpec spec, long generation, RolloutStatus status, List<Observed.Group> groups,
                       Map<String, String> images) {}

    private final KubernetesClient client;
    private final String namespace;
    private final ClusterEvents events;
    private final Duration answerWithin;

    /** {@code answerWithin}: how long a verb waits for the operator's answer. */
    public ClusterRollouts(KubernetesClient client, String namespace, Duration answerWithin) {
        this.client = client;
        this.namespace = namespace;
        this.events = new ClusterEvents(client);
        this.answerWithin = answerWithin;
    }

    public String namespace() {
        return namespace;
    }

    public KubernetesClient client() {
        return client;
    }

    /** The Services the operator keeps for this Rollout, in front of its revisions. */
    public static List<String> services(View v) {
        return ClusterRouter.services(v.name(), v.spec().strategy());
    }

    public List<String> names() {
        return client.resources(RolloutResource.class).inNamespace(namespace).list().getItems().stream()
                .map(r -> r.getMetadata().getName()).sorted().toList();
    }

    /** Whether the namespace has a Rollout of this name. */
    public boolean exists(String name) {
        return client.resources(RolloutResource.class).inNamespace(namespace).withName(name).get() != null;
    }

    /**
     * Deletes the Rollout; the API server then removes what it owns (ReplicaSets, Services, the route) once
     * the operator's finalizer lets it go. False when there was no such Rollout.
     */
    public boolean delete(String name) {
        return !client.resources(RolloutResource.class).inNamespace(namespace).withName(name).delete().isEmpty();
    }

    /** Null when there is no such Rollout. */
    public View view(String name) {
        if (!exists(name)) return null;
        ClusterController c = new ClusterController(client, ClusterReads.live(client), namespace, name, events, () -> {});
        StateStore.Stored s = c.state().load();
        return new View(name, s.spec(), s.generation(), s.status(), c.groups(), RunningImages.of(client, namespace, name));
    }

    /** The Rollout's events, oldest first. */
    public List<Event> events(String name) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> e.getInvolvedObject() != null && "Rollout".equals(e.getInvolvedObject().getKind())
                        && (name == null || name.equals(e.getInvolvedObject().getName())))
                .sorted(Comparator.comparing(ClusterRollouts::happened).thenComparing(e -> e.getMetadata().getName()))
                .toList();
    }

    /** When an event last happened; the API server may keep it to the second only, so the name (see ClusterEvents) breaks ties. */
    public static Instant happened(Event e) {
        String at = e.getLastTimestamp() != null ? e.getLastTimestamp() : e.getFirstTimestamp();
        return at == null ? Instant.EPOCH : Instant.parse(at);
    }

    /**
     * A verb: decided here on what is stored (a refusal is answered at once), then asked of the
     * operator through the Rollout's annotation, and its answer read back from the status. The
     * operator is the only writer of the status, so nothing it writes meanwhile is lost.
     */
    public VerbResult ask(String name, Verb verb) {
        ClusterController c = controller(name);
        StateStore.Stored now = c.state().load();
        VerbResult check = ClusterVerbs.apply(ClusterState.VerbRequest.of(verb, null), name, now, c.groups());
        if (check instanceof VerbResult.Refused) return check;
        String id = UUID.randomUUID().toString();
        String json = Json.write(ClusterState.VerbRequest.of(verb, id));
        Conflicts.retry(() -> client.resources(RolloutResource.class).inNamespace(namespace).withName(name).edit(r -> {
            r.getMetadata().setAnnotations(Labels.with(r.getMetadata().getAnnotations(), Labels.VERB, json));
            return r;
        }));
        long end = System.nanoTime() + answerWithin.toNanos();
        while (System.nanoTime() < end) {
            RolloutResource r = client.resources(RolloutResource.class).inNamespace(namespace).withName(name).get();
            if (r != null && r.getStatus() != null && id.equals(r.getStatus().get(ClusterStatus.LAST_VERB))) {
                String answer = String.valueOf(r.getStatus().get(ClusterStatus.LAST_VERB_RESULT));
                if (answer.startsWith("refused: ")) return new VerbResult.Refused(VerbResult.Kind.CONFLICT, answer.substring(9));
                return new VerbResult.Done(now.spec(), now.status(), List.of(), answer);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new VerbResult.Done(now.spec(), now.status(), List.of(), "asked; the operator has not answered within "
                + answerWithin.toSeconds() + "s (is rollgate operator running for namespace " + namespace + "?)");
    }

    private ClusterController controller(String name) {
        if (!exists(name)) throw new IllegalArgumentException("no Rollout " + name + " in namespace " + namespace);
        return new ClusterController(client, ClusterReads.live(client), namespace, name, events, () -> {});
    }
}
