package dev.rollgate.plan;

import dev.rollgate.rollout.Revisions;
import dev.rollgate.rollout.TemplateHash;
import dev.rollgate.spec.RolloutSpec;
import dev.rollgate.spec.SpecDiff;
import dev.rollgate.spec.SpecJson;
import dev.rollgate.spec.Strategy;
import java.util.List;

/**
 * What applying a spec would do to one service, decided without doing it: created, configured or
 * unchanged; the fields that change; and whether a rollout follows (a new revision, the template
 * of an old one brought back, or none: the same template, as a scale or a strategy change).
 *
 * @param result  created, configured or unchanged, the words {@code apply} prints
 * @param rollout what follows, in words
 */
public record ApplyPreview(String name, String result, List<SpecDiff.Change> changes, String rollout) {

    /**
     * @param current the spec in force (null: the service does not exist yet)
     * @param next    the spec as apply would store it
     * @param history the service's revisions, oldest first (the last is the current one)
     */
    public static ApplyPreview of(String name, RolloutSpec current, RolloutSpec next, List<Revisions.Revision> history) {
        String version = next.template().version() == null ? "" : " (" + next.template().version() + ")";
        if (current == null) {
            return new ApplyPreview(name, "created", List.of(), "revision 1" + version + " starts with " + next.replicas() + " replica(s)");
        }
        List<SpecDiff.Change> changes = SpecDiff.of("spec", SpecJson.tree(current), SpecJson.tree(next));
        if (changes.isEmpty()) return new ApplyPreview(name, "unchanged", changes, "nothing changes");
        String hash = TemplateHash.of(next.template());
        List<Revisions.Revision> after = Revisions.apply(history, hash);
        Revisions.Revision now = after.getLast();
        boolean sameTemplate = !history.isEmpty() && history.getLast().templateHash().equals(hash);
        String rollout;
        if (sameTemplate) {
            rollout = "the same template: no new revision";
        } else {
            int older = history.stream().filter(r -> r.templateHash().equals(hash)).mapToInt(Revisions.Revision::number).findFirst().orElse(0);
            rollout = (older > 0 ? "the template of revision " + older + " comes back as revision " + now.number() + version
                    : "revision " + now.number() + version + " rolls out")
                    + " by " + Strategy.describe(next);
        }
        return new ApplyPreview(name, "configured", changes, rollout);
    }
}
