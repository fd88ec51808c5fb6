package dev.rollgate.cli;

import dev.rollgate.kubernetes.ClusterRollouts;
import dev.rollgate.local.store.Store;
import dev.rollgate.view.EventRow;
import io.fabric8.kubernetes.api.model.Event;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A cluster's Rollout events as the daemon's rows, and the ones that came since. A cluster has no
 * event ids to ask after, so each read lists them again and tells them apart by name. (Out of the
 * command classes: picocli reflects on those, and a fabric8 type in one of their methods would be
 * loaded by every command.)
 */
final class ClusterEventFeed {

    private final ClusterRollouts rollouts;
    private final String name;
    private final Set<String> seen = new HashSet<>();

    /** The events of Rollout {@code name} (null: every Rollout's); a Rollout that is not there is said so. */
    ClusterEventFeed(ClusterRollouts rollouts, String name) {
        if (name != null && !rollouts.exists(name)) throw ClusterTarget.noRollout(rollouts, name);
        this.rollouts = rollouts;
        this.name = name;
    }

    /** Every event so far, oldest first. */
    List<EventRow> all() {
        List<Event> events = rollouts.events(name);
        events.forEach(e -> seen.add(e.getMetadata().getName()));
        return ClusterViews.events(events);
    }

    /** The events not read before, oldest first. */
    List<EventRow> fresh() {
        return ClusterViews.events(rollouts.events(name).stream().filter(e -> seen.add(e.getMetadata().getName())).toList());
    }

    /** The newest {@code limit} of {@code rows}. */
    static List<EventRow> newest(List<EventRow> rows, int limit) {
        return rows.subList(Math.max(0, rows.size() - limit), rows.size());
    }
}
