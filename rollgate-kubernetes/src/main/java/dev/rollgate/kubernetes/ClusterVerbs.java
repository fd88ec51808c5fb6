package dev.rollgate.kubernetes;

import dev.rollgate.controller.Observed;
import dev.rollgate.controller.StateStore;
import dev.rollgate.controller.Verb;
import dev.rollgate.controller.VerbResult;
import dev.rollgate.controller.Verbs;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A verb asked through a Rollout's annotation, as the same pure transition the embedded platform runs. */
final class ClusterVerbs {

    private ClusterVerbs() {}

    static VerbResult apply(ClusterState.VerbRequest v, String name, StateStore.Stored s, List<Observed.Group> groups) {
        return v.asVerb()
                .map(verb -> Verbs.apply(verb, name, s.spec(), s.status(), groups, Instant.now(), (n, h) -> Optional.empty()))
                .orElseGet(() -> new VerbResult.Refused(VerbResult.Kind.NOT_FOUND, "no verb " + v.verb() + "; verbs: " + Verb.NAMES));
    }
}
