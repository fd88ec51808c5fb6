package dev.rollgate.controller;

import dev.rollgate.analysis.AnalysisRunView;
import dev.rollgate.rollout.Revisions;
import dev.rollgate.spec.Template;
import java.time.Instant;
import java.util.List;

/**
 * The world as one pass of the controller sees it: every revision group with its replicas, the
 * analysis runs, the schema migrations of the current template, and the time.
 *
 * @param groups   the revision groups, by revision number (oldest first)
 * @param analysis the analysis runs the runner holds, current and recently finished
 */
public record Observed(List<Group> groups, List<AnalysisRunView> analysis, Migrations migrations, Instant now) {

    public Observed {
        groups = List.copyOf(groups);
        analysis = List.copyOf(analysis);
    }

    /**
     * One revision group (a ReplicaSet): its size as the controller last set it, the desired and
     * max-replicas annotations that proportional scaling reads, and the replicas it has.
     */
    public record Group(int revision, String hash, Template template, int replicas, int desiredFor, int maxFor, Instant created,
                        List<Member> members) {

        public Group {
            members = List.copyOf(members);
        }

        /** Groups in revision order (as {@link Platform#groups} gives them) as the Deployment controller's revision history. */
        public static List<Revisions.Revision> history(List<Group> groups) {
            return groups.stream().map(g -> new Revisions.Revision(g.revision(), g.hash())).toList();
        }

        Group withRevision(int number) {
            return new Group(number, hash, template, replicas, desiredFor, maxFor, created, members);
        }

        Group scaled(int n, int desired, int max) {
            return new Group(revision, hash, template, n, desired, max, created, members);
        }

        /** "revision 3 (v2)": how events and status lines name a revision. */
        public String label() {
            return "revision " + revision + (template.version() == null ? "" : " (" + template.version() + ")");
        }
    }

    /**
     * One replica of a group: whether it is ready and since when, whether it is being stopped
     * (out of traffic, terminating) and whether it is gone already.
     */
    public record Member(String id, Instant created, boolean ready, Instant readySince, boolean stopping, boolean terminated) {

        /** Ready for at least {@code minReadySeconds}: Kubernetes' available. */
        boolean available(int minReadySeconds, Instant now) {
            return !stopping && ready && readySince != null && !readySince.plusSeconds(minReadySeconds).isAfter(now);
        }
    }

    /** The expand migrations of the current template: none to run, not started, running, done or failed (with why). */
    public record Migrations(Expand expand, String failure) {

        public static final Migrations NONE = new Migrations(Expand.NONE, null);

        public enum Expand { NONE, NOT_STARTED, RUNNING, DONE, FAILED }

        public boolean enabled() {
            return expand != Expand.NONE;
        }

        /** Whether the current template may have replicas: its expand migrations (if any) are applied. */
        public boolean expanded() {
            return expand == Expand.NONE || expand == Expand.DONE;
        }
    }
}
