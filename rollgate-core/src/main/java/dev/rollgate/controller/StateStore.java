package dev.rollgate.controller;

import dev.rollgate.spec.RolloutSpec;
import java.util.List;

/**
 * Where the controller keeps a service's spec, generation and status, and records events: SQLite
 * on the embedded platform, the Rollout object on Kubernetes. Everything a pass needs is here;
 * nothing lives only in the controller's memory.
 */
public interface StateStore {

    /** The spec as it stands (after apply and the verbs), its generation, and the status the last pass stored. */
    record Stored(RolloutSpec spec, long generation, RolloutStatus status) {}

    Stored load();

    /** Stores {@code next} and records {@code events}; a refused write throws, and then nothing of it is kept. */
    void save(Stored next, List<RolloutEvent> events);
}
