package dev.rollgate.rollout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Revision numbers as the Deployment controller keeps them: a new template gets max + 1; a
 * template that already has a group (a rollback, or re-applying an old spec) re-adopts that group
 * and its revision is bumped to max + 1 as well, so the newest revision is always the current one.
 */
public final class Revisions {

    /** One revision group's identity. */
    public record Revision(int number, String templateHash) {}

    private Revisions() {}

    /** The history after applying {@code templateHash}; the last entry is the current revision. */
    public static List<Revision> apply(List<Revision> history, String templateHash) {
        int max = history.stream().mapToInt(Revision::number).max().orElse(0);
        List<Revision> out = new ArrayList<>();
        Revision current = null;
        for (Revision r : history) {
            if (r.templateHash().equals(templateHash)) current = r;
            else out.add(r);
        }
        if (current != null && current.number() == max) {
            out.add(current); // already the current revision: nothing changes
            return List.copyOf(out);
        }
        out.add(new Revision(max + 1, templateHash));
        return List.copyOf(out);
    }

    /**
     * Kubernetes' {@code cleanupDeployment}: the oldest revisions beyond {@code limit} that have no
     * replicas left are deleted; the current one never is.
     */
    public static List<Revision> toDelete(List<Revision> history, List<ReplicaSetState> sets, int limit) {
        List<Revision> old = history.subList(0, Math.max(0, history.size() - 1));
        int excess = old.size() - limit;
        List<Revision> delete = new ArrayList<>();
        for (Revision r : old.stream().sorted(Comparator.comparingInt(Revision::number)).toList()) {
            if (delete.size() >= excess) break;
            boolean empty = sets.stream().filter(s -> s.revision() == r.number()).allMatch(s -> s.replicas() == 0 && s.current() == 0);
            if (empty) delete.add(r);
        }
        return delete;
    }
}
