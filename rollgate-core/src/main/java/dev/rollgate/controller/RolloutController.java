package dev.rollgate.controller;

import dev.rollgate.rollout.Progress;
import dev.rollgate.rollout.ProgressivePlan;
import dev.rollgate.rollout.ProgressiveState;
import dev.rollgate.rollout.ReplicaSetState;
import dev.rollgate.rollout.Revisions;
import dev.rollgate.rollout.TemplateHash;
import dev.rollgate.spec.RolloutSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The controller's one decision, for every strategy: from the spec, the stored status and what
 * was observed, to the actions, the new status, the events and the next wake-up. Pure: it calls
 * nothing and reads no clock; the {@link Reconciler} persists what it returns and acts on it.
 */
public final class RolloutController {

    private RolloutController() {}

    /** The earlier of two wake-ups, either of which may be null (none). */
    private static Instant earlier(Instant a, Instant b) {
        return a == null || (b != null && b.isBefore(a)) ? b : a;
    }

    /**
     * @param name       the service (the object of the events)
     * @param generation the spec's generation, reported back as observedGeneration
     */
    public static Decision decide(String name, RolloutSpec spec, long generation, RolloutStatus status, Observed observed) {
        Pass p = new Pass(name, generation, spec, status, observed);
        String hash = TemplateHash.of(spec.template());
        Observed.Group cur = p.group(hash);
        List<Revisions.Revision> history = Observed.Group.history(p.groups);
        int newest = Revisions.apply(history, hash).getLast().number();
        boolean created = cur == null || cur.revision() != newest;
        if (created) {
            p.withinRollbackWindow = cur != null && withinRollbackWindow(p, cur.revision());
            cur = create(p, cur, hash, newest);
        }

        boolean progressive = Pass.progressive(spec);
        if (!progressive) ProgressiveSync.leave(p);
        Observed.Migrations migrations = observed.migrations();
        boolean migrated = migrations.expanded();
        if (migrations.expand() == Observed.Migrations.Expand.NOT_STARTED) p.actions.add(new Action.ExpandMigrations(hash));
        if (migrations.expand() == Observed.Migrations.Expand.FAILED) Rollback.migrationFailed(p, cur, migrations.failure());

        ProgressivePlan plan = null;
        if (!migrated) {
            // held: the running revisions keep their replicas
        } else if (progressive) {
            plan = ProgressiveSync.step(p, hash);
        } else if (created || !RollingSync.proportional(p, cur.revision())) {
            if (!spec.paused()) RollingSync.roll(p, cur.revision());
        }
        StatusSync.sync(p, p.group(cur.revision()), created, !migrated, plan);
        if (migrations.enabled()) report(p, hash, p.group(cur.revision()));
        cleanup(p);
        p.wakeAt = earlier(p.wakeAt, GroupCounts.nextAvailability(p.groups, spec.minReadySeconds(), p.now));
        Instant deadline = Progress.deadline(p.status.progressing(), Duration.ofSeconds(spec.progressDeadlineSeconds()));
        if (deadline != null && deadline.isAfter(p.now)) p.wakeAt = earlier(p.wakeAt, deadline);
        return new Decision(p.spec, p.status, p.actions, p.events, p.wakeAt);
    }

    /** Argo's rollbackWindow: revision {@code number} is one of the last {@code revisions} before the current one. */
    private static boolean withinRollbackWindow(Pass p, int number) {
        int window = p.spec.rollbackWindow();
        long newer = p.groups.stream().filter(g -> g.revision() > number).count();
        return window > 0 && newer >= 1 && newer <= window;
    }

    /** The group of a new template, or an earlier one's taken up again under the next revision number. */
    private static Observed.Group create(Pass p, Observed.Group existing, String hash, int number) {
        Observed.Group g = existing == null
                ? new Observed.Group(number, hash, p.spec.template(), 0, 0, 0, p.now, List.of())
                : existing.withRevision(number);
        p.put(g);
        p.actions.add(new Action.CreateGroup(number, hash, g.template()));
        p.status = p.status.withRolloutStarted(p.now);
        p.event("Normal", "RolloutStarted", "rolling out " + g.label()
                + (existing != null ? " (the template of an earlier revision, re-adopted)" : ""));
        return g;
    }

    /** What the contract gate needs to know of this pass: complete, healthy, and which replicas of older revisions still run. */
    private static void report(Pass p, String hash, Observed.Group cur) {
        List<String> older = new ArrayList<>();
        for (Observed.Group g : p.groups) {
            if (g.hash().equals(hash)) continue;
            for (Observed.Member m : g.members()) {
                if (!m.terminated()) older.add(m.id() + " (revision " + g.revision() + (m.stopping() ? ", terminating" : "") + ")");
            }
        }
        older.sort(Comparator.naturalOrder());
        RolloutStatus s = p.status;
        ProgressiveState st = s.progressive() == null ? null : s.progressive().state();
        boolean aborted = s.abortedRevision() == cur.revision() || st != null && st.aborted();
        boolean complete = s.lastCompleteRevision() == cur.revision() && !p.spec.paused() && !aborted;
        boolean healthy = complete && s.available() >= p.spec.replicas();
        p.actions.add(new Action.ReportRollout(hash, cur.revision(), complete, healthy, older));
    }

    /** Kubernetes' cleanupDeployment: old empty revisions beyond revisionHistoryLimit go. */
    private static void cleanup(Pass p) {
        List<ReplicaSetState> sets = p.counts();
        List<Revisions.Revision> history = Observed.Group.history(p.groups);
        for (Revisions.Revision r : Revisions.toDelete(history, sets, p.spec.revisionHistoryLimit())) {
            p.actions.add(new Action.DeleteGroup(r.number(), r.templateHash()));
            p.groups.removeIf(g -> g.hash().equals(r.templateHash()));
        }
    }
}
