package dev.rollgate.cli;

import dev.rollgate.controller.Observed;
import dev.rollgate.controller.Verbs;
import dev.rollgate.kubernetes.ClusterRollouts;
import dev.rollgate.local.daemon.Daemon;
import dev.rollgate.local.store.Store;
import dev.rollgate.rollout.TemplateHash;
import dev.rollgate.spec.ValueRef;
import dev.rollgate.view.EventRow;
import dev.rollgate.view.HistoryEntry;
import dev.rollgate.view.ServiceView;
import dev.rollgate.view.ServiceViews;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A Rollout on a cluster in the records the commands print for the embedded platform, so their output is the same. */
final class ClusterViews {

    private ClusterViews() {}

    static ServiceView service(ClusterRollouts.View v) {
        List<ServiceView.ReplicaView> replicas = new ArrayList<>();
        for (Observed.Group g : v.groups()) {
            for (Observed.Member m : g.members()) {
                String state = m.stopping() ? "Terminating" : m.ready() ? "Ready" : "NotReady";
                replicas.add(new ServiceView.ReplicaView(m.id(), g.revision(), state, m.ready(), "", m.ready() ? m.readySince() : m.created(),
                        0, 0, 0, m.stopping(), List.of()));
            }
        }
        return ServiceViews.of(v.name(), v.spec(), v.generation(), v.status(), v.groups(), replicas, null, Instant.now(), v.images());
    }

    static List<HistoryEntry> history(ClusterRollouts.View v) {
        String current = TemplateHash.of(v.spec().template());
        List<HistoryEntry> out = new ArrayList<>();
        for (Observed.Group g : v.groups()) {
            var env = g.template().env();
            String cause = env.containsKey(Verbs.RESTARTED_AT) ? "restarted at " + env.get(Verbs.RESTARTED_AT) : "";
            out.add(new HistoryEntry(g.revision(), g.template().version(), g.hash(), g.created(), g.replicas(), g.hash().equals(current), cause,
                    v.images().getOrDefault(g.hash(), g.template().image()), ValueRef.summary(g.template().sources())));
        }
        return out;
    }

    static List<EventRow> events(List<Event> events) {
        List<EventRow> out = new ArrayList<>();
        long id = 0;
        for (Event e : events) {
            out.add(new EventRow(++id, e.getInvolvedObject().getName(), ClusterRollouts.happened(e), e.getType(),
                    e.getReason(), e.getInvolvedObject().getName(), e.getMessage()));
        }
        return out;
    }
}
