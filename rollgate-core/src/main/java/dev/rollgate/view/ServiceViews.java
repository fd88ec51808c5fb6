package dev.rollgate.view;

import dev.rollgate.controller.GroupCounts;
import dev.rollgate.controller.Observed;
import dev.rollgate.controller.RolloutStatus;
import dev.rollgate.rollout.ReplicaSetState;
import dev.rollgate.rollout.TemplateHash;
import dev.rollgate.spec.RolloutSpec;
import dev.rollgate.spec.Strategy;
import dev.rollgate.spec.ValueRef;
import dev.rollgate.view.MigrationsView;
import dev.rollgate.view.ServiceView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A service as {@code get}, {@code describe} and the dashboard show it: the spec's essentials, status, groups and replicas. */
public final class ServiceViews {

    private ServiceViews() {}

    /** From any platform's groups: the counts per revision as the controller counts them, and the replicas as given. */
    public static ServiceView of(String name, RolloutSpec spec, long generation, RolloutStatus status, List<Observed.Group> groups,
                                 List<ServiceView.ReplicaView> replicas, MigrationsView migrations, Instant now) {
        return of(name, spec, generation, status, groups, replicas, migrations, now, Map.of());
    }

    /** {@code liveImages}: the image each revision (by hash) is seen running, where the platform reports it (a pod's imageID). */
    public static ServiceView of(String name, RolloutSpec spec, long generation, RolloutStatus status, List<Observed.Group> groups,
                                 List<ServiceView.ReplicaView> replicas, MigrationsView migrations, Instant now,
                                 Map<String, String> liveImages) {
        String hash = TemplateHash.of(spec.template());
        List<ServiceView.RevisionView> revisions = new ArrayList<>();
        List<ReplicaSetState> counts = GroupCounts.of(groups, spec, now);
        for (Observed.Group g : groups) {
            ReplicaSetState c = counts.stream().filter(x -> x.hash().equals(g.hash())).findFirst().orElseThrow();
            revisions.add(new ServiceView.RevisionView(g.revision(), g.template().version(), g.hash(), g.replicas(), c.current(), c.ready(),
                    c.available(), g.created(), g.hash().equals(hash), liveImages.getOrDefault(g.hash(), g.template().image()),
                    ValueRef.summary(g.template().sources())));
        }
        return new ServiceView(name, generation, status.phase(), spec.service() == null ? 0 : spec.service().port(), Strategy.describe(spec),
                spec.minReadySeconds(), spec.progressDeadlineSeconds(), spec.progressDeadlineAbort(), status, revisions, replicas, migrations, List.of());
    }
}
