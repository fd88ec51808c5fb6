package dev.rollgate.simulation;

import dev.rollgate.controller.RolloutEvent;
import dev.rollgate.controller.StateStore;
import java.util.ArrayList;
import java.util.List;

/** A state store in memory: the spec, generation and status of one service, and every event recorded. */
public final class MemoryStateStore implements StateStore {

    private Stored stored;
    private final List<RolloutEvent> events = new ArrayList<>();

    public MemoryStateStore(Stored initial) {
        this.stored = initial;
    }

    @Override
    public Stored load() {
        return stored;
    }

    @Override
    public void save(Stored next, List<RolloutEvent> recorded) {
        stored = next;
        events.addAll(recorded);
    }

    public List<RolloutEvent> events() {
        return List.copyOf(events);
    }
}
