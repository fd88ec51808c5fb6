package dev.rollgate.controller;

import dev.rollgate.spec.RolloutSpec;
import java.time.Instant;
import java.util.List;

/**
 * What one pass decided: the spec (changed only by an automatic rollback, which puts back the
 * template of the last complete revision), the new status, the actions to take, the events to
 * record, and when to look again at the latest (null: at the next resync).
 */
public record Decision(RolloutSpec spec, RolloutStatus status, List<Action> actions, List<RolloutEvent> events, Instant wakeAt) {

    public Decision {
        actions = List.copyOf(actions);
        events = List.copyOf(events);
    }
}
