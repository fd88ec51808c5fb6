package dev.rollgate.kubernetes;

import dev.rollgate.analysis.run.AnalysisRuns;
import dev.rollgate.controller.Decision;
import dev.rollgate.controller.Observed;
import dev.rollgate.controller.Reconciler;
import dev.rollgate.controller.RolloutEvent;
import dev.rollgate.controller.SchemaMigrations;
import dev.rollgate.controller.StateStore;
import dev.rollgate.controller.VerbResult;
import dev.rollgate.spec.DriftPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One Rollout on the cluster: the {@link Reconciler} over {@link ClusterPlatform},
 * {@link ClusterRouter}, {@link AnalysisRuns} (Prometheus, web and Kubernetes Jobs; no proxy
 * metrics here) and {@link ClusterState}. Passes and verbs run one at a time.
 */
final class ClusterController implements AutoCloseable {

    private final String name;
    private final ClusterState state;
    private final AnalysisRuns analyses;
    private final Reconciler reconciler;
    private final ClusterPlatform platform;
    private final ClusterRouter router;

    ClusterController(KubernetesClient client, ClusterReads reads, String namespace, String name, ClusterEvents events, Runnable wake) {
        this.name = name;
        this.state = new ClusterState(client, namespace, name, events);
        this.analyses = new AnalysisRuns(name, state::spec, null,
                new ClusterJobRunner(client, namespace, name, () -> state.spec().template().image()), wake);
        this.platform = new ClusterPlatform(client, reads, namespace, name, state::resource, state::spec);
        this.router = new ClusterRouter(client, namespace, name, state::resource, state::spec);
        this.reconciler = new Reconciler(name, platform, router, analyses, SchemaMigrations.NONE, state, Clock.systemUTC());
    }

    /** A verb {@code rollout} asks through its annotation first (once), then one pass. */
    synchronized Decision pass(RolloutResource rollout) {
        if (state.asks(rollout)) {
            reconciler.verb(stored -> {
                ClusterState.VerbRequest v = state.pending();
                if (v == null) return new VerbResult.Done(stored.spec(), stored.status(), List.of(), "");
                VerbResult r = ClusterVerbs.apply(v, name, stored, groups());
                return switch (r) {
                    case VerbResult.Done d -> {
                        state.carriedOut(v.id(), d.message());
                        yield d;
                    }
                    case VerbResult.Refused x -> {
                        state.carriedOut(v.id(), "refused: " + x.message());
                        yield new VerbResult.Done(stored.spec(), stored.status(),
                                List.of(new RolloutEvent("Warning", "VerbRefused", name, v.verb() + " refused: " + x.message())), x.message());
                    }
                };
            });
        }
        Decision d = reconciler.reconcile();
        // Then what runs is held against what was decided: an out-of-band change is put back (heal) or only said (report).
        // The controller never sees a ReplicaSet's size as someone else set it (ClusterPlatform.groups), so only this puts it back.
        boolean heal = state.spec().driftPolicy() == DriftPolicy.HEAL;
        List<String> drift = new ArrayList<>(platform.drift(heal));
        drift.addAll(router.drift(heal));
        state.drifted(drift, heal);
        return d;
    }

    synchronized VerbResult verb(Function<StateStore.Stored, VerbResult> verb) {
        return reconciler.verb(verb);
    }

    /** The sources ({@code kind/name}) the template in force reads. */
    Set<String> sources() {
        var spec = state.spec();
        if (spec == null) return Set.of();
        Set<String> out = new HashSet<>();
        spec.template().sources().forEach(s -> out.add(s.id()));
        return out;
    }

    ClusterState state() {
        return state;
    }

    /** The Rollout's ReplicaSets and pods, as the controller observes them. */
    List<Observed.Group> groups() {
        return reconciler.platform().groups();
    }

    @Override
    public void close() {
        analyses.close();
    }
}
