package dev.rollgate.controller;

import java.util.List;
import java.util.Optional;

/**
 * A verb of {@code rollgate rollout}, as the CLI, the admin API ({@code POST
 * /v1/services/NAME/VERB}), the daemon and the operator's verb annotation all speak it. What a verb
 * does to a stored rollout is {@link Verbs#apply}, the same pure transition on both platforms.
 */
public sealed interface Verb {

    /** Every verb's name, as the CLI and the admin API's paths say them. */
    List<String> NAMES = List.of("undo", "restart", "pause", "resume", "promote", "abort", "retry");

    /** Back to the template of revision {@code toRevision} (0: the newest one before the current). */
    record Undo(int toRevision) implements Verb {
        public Undo {
            if (toRevision < 0) throw new IllegalArgumentException("toRevision: must be a revision number (1 or more), got " + toRevision);
        }
    }

    /** Every replica replaced by a fresh one of the same template. */
    record Restart() implements Verb {}

    /** The rollout held where it stands. */
    record Pause() implements Verb {}

    /** A paused rollout goes on. */
    record Resume() implements Verb {}

    /** Past the current step of a canary or blue-green rollout ({@code full}: past all of them); ends a bake. */
    record Promote(boolean full) implements Verb {}

    /** All traffic back to stable; the rollout stays aborted until retry, undo or a new template. */
    record Abort() implements Verb {}

    /** An aborted canary or blue-green rollout starts again from its first step. */
    record Retry() implements Verb {}

    /** The verb's name, one of {@link #NAMES}. */
    default String name() {
        return switch (this) {
            case Undo u -> "undo";
            case Restart r -> "restart";
            case Pause p -> "pause";
            case Resume r -> "resume";
            case Promote p -> "promote";
            case Abort a -> "abort";
            case Retry r -> "retry";
        };
    }

    /** The verb {@code name} with its options (each verb takes the ones it has); empty for a name not in {@link #NAMES}. */
    static Optional<Verb> of(String name, int toRevision, boolean full) {
        return Optional.ofNullable(switch (name) {
            case "undo" -> new Undo(toRevision);
            case "restart" -> new Restart();
            case "pause" -> new Pause();
            case "resume" -> new Resume();
            case "promote" -> new Promote(full);
            case "abort" -> new Abort();
            case "retry" -> new Retry();
            default -> null;
        });
    }
}
