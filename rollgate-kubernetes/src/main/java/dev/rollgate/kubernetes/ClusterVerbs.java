package dev.rollgate.kubernetes;

import dev.rollgate.controller.Observed;
import dev.rollgate.controller.StateStore;
import dev.rollgate.controller.VerbResult;
import dev.rollgate.controller.Verbs;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A verb asked through a Rollout's annotation, as the same pure transition the embedded platform runs. */
final class ClusterVerbs {

    static final List<String> VERBS = List.of("undo", "restart", "pause", "resume", "promote", "abort", "retry");

    private ClusterVerbs() {}

    static VerbResult apply(ClusterState.VerbRequest v, String name, StateStore.Stored s, List<Observed.Group> groups) {
        Instant now = Instant.now();
        return switch (v.verb()) {
            case "undo" -> Verbs.undo(name, s.spec(), s.status(), groups, v.toRevision(), (n, h) -> Optional.empty());
            case "restart" -> Verbs.restart(name, s.spec(), s.status(), now);
            case "pause" -> Verbs.pause(name, s.spec(), s.status(), true);
            case "resume" -> Verbs.pause(name, s.spec(), s.status(), false);
            case "promote" -> Verbs.promote(name, s.spec(), s.status(), v.full(), now);
            case "abort" -> Verbs.abort(name, s.spec(), s.status(), now);
            case "retry" -> Verbs.retry(name, s.spec(), s.status(), now);
            default -> new VerbResult.Refused(VerbResult.Kind.NOT_FOUND, "no verb " + v.verb() + "; verbs: " + VERBS);
        };
    }
}
