package dev.rollgate.controller;

import dev.rollgate.spec.RolloutSpec;
import java.util.List;

/** What a verb ({@code rollout undo}, {@code promote}, ...) did: the new spec and status to store, or a refusal that says why. */
public sealed interface VerbResult {

    /** The verb applies: store {@code spec} (a new generation if it changed) and {@code status}, record the events, answer {@code message}. */
    record Done(RolloutSpec spec, RolloutStatus status, List<RolloutEvent> events, String message) implements VerbResult {
        public Done {
            events = List.copyOf(events);
        }
    }

    /** The verb does not apply; {@code kind} says whether what it named does not exist or the rollout is not in a state for it. */
    record Refused(Kind kind, String message) implements VerbResult {}

    enum Kind { NOT_FOUND, CONFLICT }
}
