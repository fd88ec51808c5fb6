package dev.rollgate.local.daemon;

import dev.rollgate.local.CrashLoopBackOff;
import dev.rollgate.local.Drain;
import dev.rollgate.local.ProcessGroup;
import dev.rollgate.local.ProcessLauncher;
import dev.rollgate.local.Replica;
import dev.rollgate.local.ReplicaConfig;
import dev.rollgate.local.ReplicaEvent;
import dev.rollgate.local.ReplicaListener;
import dev.rollgate.local.ReplicaLog;
import dev.rollgate.local.ReplicaProcess;
import dev.rollgate.local.ReplicaStatus;
import dev.rollgate.local.ServiceProxy;
import dev.rollgate.local.dataplane.ProxyHandle;
import dev.rollgate.local.daemon.Store.ReplicaRow;
import dev.rollgate.local.daemon.Store.RevisionRow;
import dev.rollgate.rollout.BlueGreenSteps;
import dev.rollgate.rollout.CanarySteps;
import dev.rollgate.rollout.Condition;
import dev.rollgate.rollout.ProgressivePlan;
import dev.rollgate.rollout.ProgressiveState;
import dev.rollgate.rollout.Decide;
import dev.rollgate.rollout.Fenceposts;
import dev.rollgate.rollout.Progress;
import dev.rollgate.rollout.ProportionalScaling;
import dev.rollgate.rollout.ReplicaRanking;
import dev.rollgate.rollout.ReplicaSetState;
import dev.rollgate.rollout.Revisions;
import dev.rollgate.rollout.Scale;
import dev.rollgate.rollout.TemplateHash;
import dev.rollgate.spec.Rollout;
import dev.rollgate.spec.RolloutSpec;
import dev.rollgate.spec.SpecJson;
import dev.rollgate.spec.Strategy;
import dev.rollgate.spec.Template;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The Deployment controller for one service on the local platform. Each pass observes the
 * revision groups, asks {@link Decide} what to scale, writes the new group sizes to the store
 * before acting on them, converges the replica processes to those sizes, and syncs the
 * conditions with {@link Progress}. A pass runs every 250 ms and whenever a replica changes.
 */
final class ServiceController implements ReplicaListener, AutoCloseable {

    private static final Duration RESYNC = Duration.ofMillis(250);
    static final String RESTARTED_AT = "ROLLGATE_RESTARTED_AT";

    private final DaemonContext ctx;
    private final String name;
    private final Object lock = new Object();
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final Semaphore wake = new Semaphore(0);
    private final ServiceProxy proxy;
    private volatile boolean closing;
    private Thread loop;

    private Store.ServiceRow row;
    private Rollout rollout;
    private ServiceStatus status;
    private Progress.Status lastCounts;
    private String lastFailure;
    private long lastRotation;
    private Instant nextWake;
    private Instant nextTimedWake;
    private ProgressivePlan lastPlan;
    private int failedPreviewPort = -1;
    private final Analyses analyses;
    private final Webhooks webhooks = new Webhooks();
    private final MigrationGate migrations;

    ServiceController(DaemonContext ctx, Store.ServiceRow row, ServiceProxy proxy) {
        this.ctx = ctx;
        this.name = row.name();
        this.row = row;
        this.rollout = SpecJson.rollout(row.spec());
        this.status = row.status().isEmpty() ? ServiceStatus.NONE : Json.read(row.status(), ServiceStatus.class);
        this.proxy = proxy;
        this.analyses = new Analyses(name, this::wake);
        this.migrations = new MigrationGate(name, ctx.store(), new MigrationGate.Host() {
            @Override
            public void event(String type, String reason, String message) {
                ServiceController.this.event(type, reason, name, message);
            }

            @Override
            public void wake() {
                ServiceController.this.wake();
            }
        });
        migrations.configure(rollout.spec().database(), Path.of(row.baseDir()));
    }

    String name() {
        return name;
    }

    Rollout rollout() {
        synchronized (lock) {
            return rollout;
        }
    }

    ServiceProxy proxy() {
        return proxy;
    }

    /** The directory the service's spec paths are relative to. */
    String baseDir() {
        synchronized (lock) {
            return row.baseDir();
        }
    }

    // ---- start: adopt what survived, then run the loop ------------------------------------------

    /**
     * Re-adopts the replica processes an earlier daemon left running (same pid and same start
     * time), forgets the ones that are gone, then starts the control loop. {@code routed}: the
     * endpoints the data plane was routing to; those replicas are adopted Ready.
     */
    void start(List<ReplicaRow> stored, Set<String> adopted, Set<String> routed) throws SQLException {
        synchronized (lock) {
            Map<String, RevisionRow> revisions = new java.util.HashMap<>();
            for (RevisionRow r : ctx.store().revisions(name)) revisions.put(r.hash(), r);
            Set<String> stopping = ctx.store().stopping(name);
            for (ReplicaRow r : stored) {
                RevisionRow rev = revisions.get(r.hash());
                boolean same = r.pid() > 0 && ProcessGroup.startTicks(r.pid()).map(t -> t == r.startTicks()).orElse(false);
                var handle = same ? ProcessHandle.of(r.pid()) : java.util.Optional.<ProcessHandle>empty();
                if (rev == null || handle.isEmpty()) {
                    ctx.store().deleteReplica(r.id());
                    event("Warning", "ReplicaLost", r.id(), r.pid() > 0
                            ? "pid " + r.pid() + " is gone (or is another process now); a new replica replaces it"
                            : "was never started; a new replica replaces it");
                    continue;
                }
                Template t = SpecJson.template(rev.template());
                Path workingDir = workingDir(t);
                var env = ProcessLauncher.environment(runtime(t).env(), r.port(), r.id());
                ReplicaProcess running = ReplicaProcess.adopted(handle.get(), r.port(), env, workingDir);
                // One that was being stopped finishes its termination: never probed, never Ready, never routed to.
                boolean wasStopping = stopping.contains(r.id());
                Replica replica = wasStopping ? Replica.adoptingToStop(r.id(), runtime(t), config(workingDir), running)
                        : Replica.adopting(r.id(), runtime(t), config(workingDir), running, routed.contains(r.id() + "@" + r.port()));
                Slot slot = new Slot(replica, r.hash(), r.created());
                slot.stopping = wasStopping;
                slot.pid = r.pid();
                track(slot, rev.number());
                onStatus(replica.status());   // in the table before the first one is published: traffic keeps its endpoints
                adopted.add(r.id());
                replica.start();
            }
        }
        loop = Thread.ofVirtual().name("controller-" + name).start(this::run);
    }

    private void run() {
        while (!closing) {
            try {
                reconcile();
                lastFailure = null;
            } catch (Exception e) {
                String why = String.valueOf(e.getMessage());
                if (!why.equals(lastFailure)) {
                    lastFailure = why;
                    event("Warning", "ReconcileFailed", name, why);
                }
            }
            try {
                if (wake.tryAcquire(RESYNC.toMillis(), TimeUnit.MILLISECONDS)) wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    void wake() {
        wake.release();
    }

    // ---- one pass -------------------------------------------------------------------------------

    private void reconcile() throws SQLException {
        synchronized (lock) {
            if (closing) return;
            RolloutSpec spec = rollout.spec();
            Instant now = Instant.now();
            String hash = TemplateHash.of(spec.template());
            List<RevisionRow> revs = ctx.store().revisions(name);
            List<Revisions.Revision> history = revs.stream().map(r -> new Revisions.Revision(r.number(), r.hash())).toList();
            Revisions.Revision newest = Revisions.apply(history, hash).getLast();
            RevisionRow cur = find(revs, hash);
            boolean created = cur == null || cur.number() != newest.number();
            if (created) {
                cur = cur == null ? new RevisionRow(name, hash, newest.number(), SpecJson.write(spec.template()), 0, now, 0, 0)
                        : new RevisionRow(name, hash, newest.number(), cur.template(), cur.replicas(), cur.created(), cur.desiredFor(), cur.maxFor());
                ctx.store().putRevision(cur);
                status = status.withRolloutStarted(now);
                lastCounts = null;
                event("Normal", "RolloutStarted", name, "rolling out revision " + cur.number() + label(spec.template())
                        + (revs.stream().anyMatch(r -> r.hash().equals(hash)) ? " (the template of an earlier revision, re-adopted)" : ""));
                revs = ctx.store().revisions(name);
            }
            List<ReplicaSetState> sets = observe(revs, spec.minReadySeconds(), now);
            if (!progressive(spec) && status.progressive() != null) leaveProgressive();
            // A new revision gets no replica until its expand migrations are applied; one that failed is rolled back.
            boolean migrated = migrations.expanded(hash);
            if (!migrated) {
                RevisionRow failed = cur;
                migrations.failure(hash).ifPresent(why -> abortForMigration(spec, failed, why, now));
            }
            if (!migrated) {
                // held: the running revisions keep their replicas
            } else if (progressive(spec)) {
                progressiveStep(spec, hash, revs, sets, now);
                revs = ctx.store().revisions(name);
            } else if (!created && proportionalScaling(spec, cur, revs, sets)) {
                revs = ctx.store().revisions(name);
                sets = observe(revs, spec.minReadySeconds(), now);
            } else if (!spec.paused()) {
                for (int round = 0; round < 10; round++) {
                    List<Scale> actions = Decide.next(spec, cur.number(), sets);
                    if (actions.isEmpty()) break;
                    for (Scale a : actions) scale(spec, byNumber(revs, a.revision()), a.replicas(), "");
                    revs = ctx.store().revisions(name);
                    sets = sets.stream().map(s -> actions.stream().filter(a -> a.revision() == s.revision()).findFirst()
                            .map(a -> s.withReplicas(a.replicas())).orElse(s)).toList();
                }
            }
            converge(revs, spec, now);
            List<ReplicaSetState> after = observe(revs, spec.minReadySeconds(), now);
            syncStatus(spec, byNumber(revs, cur.number()), after, created, !migrated, now);
            observeForMigrations(spec, hash, byNumber(revs, cur.number()), revs, now);
            cleanup(revs, after, spec);
            rotateLogs();
            wakeAtNextAvailability(spec.minReadySeconds(), now);
        }
    }

    private static boolean progressive(RolloutSpec spec) {
        return spec.strategy() instanceof Strategy.Canary || spec.strategy() instanceof Strategy.BlueGreen;
    }

    /**
     * A canary or blue-green pass: the pure step ({@link CanarySteps} or {@link BlueGreenSteps})
     * says how big each revision should be, where traffic goes and which analysis runs should
     * run; this applies it to the store, the proxy and the runs.
     */
    private void progressiveStep(RolloutSpec spec, String hash, List<RevisionRow> revs, List<ReplicaSetState> sets, Instant now)
            throws SQLException {
        Map<String, Integer> available = new java.util.HashMap<>(), sizes = new java.util.HashMap<>();
        for (int i = 0; i < revs.size(); i++) {
            available.put(revs.get(i).hash(), sets.get(i).available());
            sizes.put(revs.get(i).hash(), revs.get(i).replicas());
        }
        ProgressiveState state = progressiveState(revs);
        Map<String, String> labels = new java.util.HashMap<>();
        for (RevisionRow r : revs) labels.put(r.hash(), "revision " + r.number() + label(SpecJson.template(r.template())));
        var observed = new CanarySteps.Observed(hash, available, sizes, analyses.phases(), analyses.why(), labels, spec.paused(), now);
        ProgressivePlan plan = spec.strategy() instanceof Strategy.Canary c
                ? CanarySteps.decide(spec.replicas(), c, state, observed)
                : BlueGreenSteps.decide(spec.replicas(), (Strategy.BlueGreen) spec.strategy(), state, observed);
        lastPlan = plan;
        for (RevisionRow r : revs) {
            int want = plan.desired().getOrDefault(r.hash(), 0);
            if (want != r.replicas()) scale(spec, r, want, "");
        }
        ProgressiveState st = plan.state();
        String stable = st.stableHash(), canary = st.canaryHash() == null ? hash : st.canaryHash();
        analyses.ensure(plan.analyses(), spec, proxy == null ? null : proxy.metrics(), stable, canary, Path.of(row.baseDir()));
        if (proxy != null) {
            proxy.route(TrafficPlan.of(plan, spec.strategy()));
            proxy.masking(spec.service() != null && spec.service().errorMasking());
            int previewPort = spec.strategy() instanceof Strategy.BlueGreen bg && bg.previewPort() != null ? bg.previewPort() : 0;
            if (previewPort != failedPreviewPort) {
                try {
                    proxy.previewPort(previewPort);
                    failedPreviewPort = -1;
                } catch (ProxyHandle.ProxyException | RuntimeException e) {
                    failedPreviewPort = previewPort; // reported once; tried again when the spec names another port
                    event("Warning", "PreviewPortFailed", name, "cannot listen on preview port " + previewPort + ": " + e.getMessage());
                }
            }
        }
        for (ProgressivePlan.Event e : plan.events()) event(e.type(), e.reason(), name, e.message());
        status = status.withProgressive(new ServiceStatus.Progressive(spec.strategy() instanceof Strategy.Canary ? "Canary" : "BlueGreen",
                st, plan.stepLabel(), plan.weights(), plan.preview(), analyses.views()));
        if (plan.wakeAt() != null && !plan.wakeAt().equals(nextTimedWake)) {
            nextTimedWake = plan.wakeAt();
            long delay = Math.max(0, Duration.between(now, plan.wakeAt()).toMillis()) + 5;
            CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(wake::release);
        }
    }

    /** The spec moved to RollingUpdate or Recreate: no more explicit routes, preview port or analysis. */
    private void leaveProgressive() {
        status = status.withProgressive(null);
        lastPlan = null;
        analyses.ensure(Map.of(), rollout.spec(), null, null, null, Path.of(row.baseDir()));
        if (proxy != null) {
            proxy.route(null);
            proxy.masking(false);
            try {
                proxy.previewPort(0);
            } catch (ProxyHandle.ProxyException e) {
                event("Warning", "PreviewPortFailed", name, "cannot close the preview port: " + e.getMessage());
            }
        }
    }

    /** The stored state; a service that switched strategy starts from its last complete revision as stable. */
    private ProgressiveState progressiveState(List<RevisionRow> revs) {
        if (status.progressive() != null) return status.progressive().state();
        RevisionRow last = revs.stream().filter(r -> r.number() == status.lastCompleteRevision()).findFirst().orElse(null);
        return last == null ? ProgressiveState.NONE
                : new ProgressiveState(last.hash(), null, 0, null, null, null, false, false, null, null, null, null, null, 0);
    }

    /** Sets a group's size (and its desired / max annotations) in the store, with the event Kubernetes writes. */
    private void scale(RolloutSpec spec, RevisionRow r, int replicas, String why) throws SQLException {
        ctx.store().putRevision(r.scaled(replicas, spec.replicas(), spec.replicas() + maxSurge(spec)));
        event("Normal", "ScalingReplicaSet", name, (replicas > r.replicas() ? "Scaled up" : "Scaled down")
                + " revision " + r.number() + label(SpecJson.template(r.template())) + " to " + replicas + " from " + r.replicas() + why);
    }

    private static int maxSurge(RolloutSpec spec) {
        return spec.strategy() instanceof Strategy.RollingUpdate ru
                ? Fenceposts.resolve(ru.maxSurge(), ru.maxUnavailable(), spec.replicas()).maxSurge() : 0;
    }

    /**
     * Kubernetes' sync for a scaling event: when {@code replicas} changed while several groups are
     * active (mid-rollout, or paused), every group grows or shrinks in proportion to its size.
     */
    private boolean proportionalScaling(RolloutSpec spec, RevisionRow cur, List<RevisionRow> revs, List<ReplicaSetState> sets) throws SQLException {
        if (!(spec.strategy() instanceof Strategy.RollingUpdate)) return false;
        List<ProportionalScaling.Group> groups = new ArrayList<>();
        for (int i = 0; i < revs.size(); i++) {
            RevisionRow r = revs.get(i);
            groups.add(new ProportionalScaling.Group(r.number(), i, r.replicas(), sets.get(i).available(), r.desiredFor(), r.maxFor()));
        }
        if (!ProportionalScaling.isScalingEvent(spec.replicas(), groups)) return false;
        int total = sets.stream().mapToInt(ReplicaSetState::current).sum();
        Map<Integer, Integer> sizes = ProportionalScaling.scale(spec.replicas(), maxSurge(spec), total, groups, cur.number());
        for (RevisionRow r : revs) {
            int n = sizes.getOrDefault(r.number(), r.replicas());
            if (n != r.replicas()) scale(spec, r, n, " (replicas changed to " + spec.replicas() + ": proportional scaling)");
            else if (r.replicas() > 0) ctx.store().putRevision(r.scaled(n, spec.replicas(), spec.replicas() + maxSurge(spec)));
        }
        return true;
    }

    /**
     * A replica becomes available minReadySeconds after it became ready, with no event at that
     * moment: wake the loop right then, so a rollout never waits for the next periodic pass.
     */
    private void wakeAtNextAvailability(int minReadySeconds, Instant now) {
        if (minReadySeconds == 0) return;
        Instant next = null;
        for (Slot s : slots.values()) {
            if (s.stopping || !s.ready || s.readySince == null) continue;
            Instant at = s.readySince.plusSeconds(minReadySeconds);
            if (at.isAfter(now) && (next == null || at.isBefore(next))) next = at;
        }
        if (next == null || next.equals(nextWake)) return;
        nextWake = next;
        long delay = Duration.between(now, next).toMillis() + 2;
        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(wake::release);
    }

    /**
     * The groups as Kubernetes counts them: a replica being stopped no longer counts (as a
     * terminating pod leaves its ReplicaSet's status), except under Recreate, which waits until
     * every old replica is gone before it starts a new one.
     */
    private List<ReplicaSetState> observe(List<RevisionRow> revs, int minReadySeconds, Instant now) {
        boolean countTerminating = rollout.spec().strategy() instanceof Strategy.Recreate;
        List<ReplicaSetState> sets = new ArrayList<>();
        for (RevisionRow r : revs) {
            int current = 0, ready = 0, available = 0;
            for (Slot s : slots.values()) {
                if (!s.hash.equals(r.hash())) continue;
                if (countTerminating ? !s.terminated() : !s.stopping) current++;
                if (!s.stopping && s.ready) ready++;
                if (s.available(minReadySeconds, now)) available++;
            }
            sets.add(new ReplicaSetState(r.number(), r.replicas(), current, ready, available));
        }
        return sets;
    }

    /** Starts and stops replicas until every group has as many as the store says it should. */
    private void converge(List<RevisionRow> revs, RolloutSpec spec, Instant now) throws SQLException {
        for (Slot s : slots.values()) {
            if (!s.stopping && find(revs, s.hash) == null) stop(s);
        }
        for (RevisionRow r : revs) {
            List<Slot> active = slots.values().stream().filter(s -> s.hash.equals(r.hash()) && !s.stopping).toList();
            List<ReplicaRanking.Candidate> candidates = active.stream()
                    .map(s -> new ReplicaRanking.Candidate(s.id(), s.ready, s.created)).toList();
            for (String id : ReplicaRanking.toDelete(candidates, active.size() - r.replicas())) stop(slots.get(id));
            int starting = (int) slots.values().stream().filter(s -> !s.stopping && !s.ready).count();
            int allowed = ReplicaRanking.allowedStarts(r.replicas() - active.size(), starting, spec.maxConcurrentStarts());
            for (int i = 0; i < allowed; i++) startReplica(r, spec, now);
        }
    }

    private void startReplica(RevisionRow r, RolloutSpec spec, Instant now) throws SQLException {
        Template t = SpecJson.template(r.template());
        String id = name + "-" + r.hash().substring(0, 6) + "-" + suffix();
        Template run = runtime(t);
        // libpq reads PGAPPNAME; a JDBC app passes it as ApplicationName: the contract gate finds older revisions' sessions by it.
        if (migrations.enabled()) run = run.withEnv("PGAPPNAME", migrations.applicationName(r.hash()));
        Replica replica = new Replica(id, run, config(workingDir(t)));
        Slot slot = new Slot(replica, r.hash(), now);
        ctx.store().putReplica(new ReplicaRow(id, name, r.hash(), 0, 0, 0, now));
        track(slot, r.number());
        int jitter = spec.startJitterSeconds();
        if (jitter <= 0) {
            replica.start();
        } else {
            long delay = ThreadLocalRandom.current().nextLong(jitter * 1000L + 1);
            CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(replica::start);
        }
    }

    private void track(Slot slot, int revision) {
        slots.put(slot.id(), slot);
        if (proxy != null) proxy.assign(slot.id(), slot.hash); // the template hash: the same label across re-adoption and restarts
        slot.gone = slot.replica.terminated().thenRun(() -> {
            slots.remove(slot.id());
            probes.remove(slot.id());
            if (proxy != null) proxy.forget(slot.id());
            try {
                ctx.store().deleteReplica(slot.id());
            } catch (SQLException e) {
                event("Warning", "StoreFailed", slot.id(), "could not forget the replica: " + e.getMessage());
            }
            wake.release();
        });
    }

    private void stop(Slot s) {
        s.stopping = true;
        try {
            ctx.store().markStopping(name, s.id());
        } catch (SQLException e) {
            event("Warning", "StoreFailed", s.id(), "could not record the stop: " + e.getMessage());
        }
        s.replica.stop();
    }

    private void syncStatus(RolloutSpec spec, RevisionRow cur, List<ReplicaSetState> sets, boolean created, boolean migrating, Instant now)
            throws SQLException {
        int desired = spec.replicas();
        ReplicaSetState newSet = sets.stream().filter(s -> s.revision() == cur.number()).findFirst().orElseThrow();
        Progress.Status counts = new Progress.Status(
                sets.stream().mapToInt(ReplicaSetState::current).sum(), newSet.current(),
                sets.stream().mapToInt(ReplicaSetState::ready).sum(), sets.stream().mapToInt(ReplicaSetState::available).sum());
        Progress.Status before = lastCounts == null ? counts : lastCounts;
        lastCounts = counts;
        int maxUnavailable = spec.strategy() instanceof Strategy.RollingUpdate ru
                ? Fenceposts.resolve(ru.maxSurge(), ru.maxUnavailable(), desired).maxUnavailable(desired) : 0;
        Condition oldProgressing = status.progressing();
        boolean isProgressive = progressive(spec) && lastPlan != null;
        // A canary or blue-green rollout makes progress through steps too: the deadline only runs while it waits for replicas.
        boolean holding = spec.paused() || migrating || isProgressive && (lastPlan.state().paused() || lastPlan.state().aborted());
        Progress.Result r = Progress.sync(desired, maxUnavailable, Duration.ofSeconds(spec.progressDeadlineSeconds()), before, counts,
                oldProgressing, status.availableCondition(), created, holding, now);
        Condition progressing = r.progressing();
        if (isProgressive && !created && oldProgressing != null) {
            ProgressiveState st = lastPlan.state();
            if (st.aborted()) {
                progressing = oldProgressing.update("False", "Aborted", st.abortMessage(), now);
            } else if (!spec.paused() && !st.paused() && !lastPlan.waitingOnReplicas() && !lastPlan.settled()) {
                // A step that waits on time or analysis is progress, as Argo counts it: the deadline is for replicas that never come.
                progressing = oldProgressing.update("True", "RolloutStepRunning", lastPlan.stepLabel(), now);
            } else if (lastPlan.settled() && newSet.available() >= desired && !"NewReplicaSetAvailable".equals(progressing.reason())) {
                // Promoted: complete, even while the old revision waits out its scaleDownDelaySeconds.
                progressing = progressing.update("True", "NewReplicaSetAvailable", "Revision has successfully progressed.", now);
            }
        }
        if (migrating && !"MigrationsRunning".equals(progressing.reason())) {
            // Held at zero while its expand migrations run: not paused by anyone, and no deadline runs.
            progressing = progressing.update("Unknown", "MigrationsRunning", "expand migrations run before the new revision's first replica", now);
        }
        Condition available = r.available();
        boolean timedOut = r.timedOut();
        status = status.withCounts(row.generation(), cur.number(), spec.template().version(), desired, counts.replicas(), counts.updated(),
                counts.ready(), counts.available(), progressing, available, spec.paused());
        // An abort has its own RolloutAborted event; the condition says the same.
        if ((oldProgressing == null || !oldProgressing.reason().equals(progressing.reason())) && !"Aborted".equals(progressing.reason())) {
            boolean bad = "ProgressDeadlineExceeded".equals(progressing.reason());
            event(bad ? "Warning" : "Normal", progressing.reason(), name, "revision " + cur.number() + ": " + progressing.message());
        }
        boolean complete = isProgressive ? lastPlan.settled() && newSet.available() >= desired : Progress.complete(desired, counts);
        if (complete && status.lastCompleteRevision() != cur.number() && !spec.paused()) {
            status = status.withLastComplete(cur.number());
            Duration took = status.rolloutStarted() == null ? Duration.ZERO : Duration.between(status.rolloutStarted(), now);
            event("Normal", "RolloutCompleted", name, "revision " + cur.number() + label(spec.template()) + " complete: "
                    + desired + " of " + desired + " available after " + String.format(java.util.Locale.ROOT, "%.1fs", took.toMillis() / 1000.0));
        }
        if (timedOut && spec.progressDeadlineAbort() && isProgressive) {
            abortProgressive("revision " + cur.number() + label(spec.template()) + " made no progress for " + spec.progressDeadlineSeconds()
                    + "s (progressDeadlineSeconds)", now);
        } else if (timedOut && spec.progressDeadlineAbort()) {
            abort(spec, cur, now);
        }
        ctx.store().putStatus(name, Json.write(status));
    }

    /** progressDeadlineAbort: roll back to the last revision that completed, as {@code rollout undo} would. */
    private void abort(RolloutSpec spec, RevisionRow cur, Instant now) throws SQLException {
        RevisionRow target = status.lastCompleteRevision() == 0 ? null
                : ctx.store().revisions(name).stream().filter(r -> r.number() == status.lastCompleteRevision()).findFirst().orElse(null);
        if (target == null || target.hash().equals(cur.hash())) {
            event("Warning", "RolloutAborted", name, "revision " + cur.number() + " exceeded its progress deadline of "
                    + spec.progressDeadlineSeconds() + "s and there is no earlier complete revision to roll back to");
            return;
        }
        String message = "revision " + cur.number() + label(spec.template()) + " made no progress for " + spec.progressDeadlineSeconds()
                + "s (progressDeadlineSeconds); rolling back to revision " + target.number() + label(SpecJson.template(target.template()));
        status = status.withAbort(cur.number(), message);
        setTemplate(SpecJson.template(target.template()));
        event("Warning", "RolloutAborted", name, message);
    }

    /**
     * An expand migration of the new revision failed: nothing of it ran (it was held at zero), so
     * the rollout goes back to the last revision that completed, as a deadline abort does.
     */
    private void abortForMigration(RolloutSpec spec, RevisionRow cur, String why, Instant now) {
        try {
            RevisionRow target = status.lastCompleteRevision() == 0 ? null : ctx.store().revisions(name).stream()
                    .filter(r -> r.number() == status.lastCompleteRevision()).findFirst().orElse(null);
            String message = "revision " + cur.number() + label(spec.template()) + ": its expand migrations failed (" + why + ")";
            if (target == null || target.hash().equals(cur.hash())) {
                if (status.abortedRevision() != cur.number()) {
                    status = status.withAbort(cur.number(), message + "; no earlier complete revision to go back to");
                    event("Warning", "RolloutAborted", name, status.abortMessage());
                }
                return;
            }
            status = status.withAbort(cur.number(), message + "; rolling back to revision " + target.number()
                    + label(SpecJson.template(target.template())));
            setTemplate(SpecJson.template(target.template()));
            event("Warning", "RolloutAborted", name, status.abortMessage());
        } catch (SQLException e) {
            event("Warning", "StoreFailed", name, "could not roll back after a failed migration: " + e.getMessage());
        }
    }

    /** What the contract gate needs to know of this pass: complete, healthy, and which replicas of older revisions still run. */
    private void observeForMigrations(RolloutSpec spec, String hash, RevisionRow cur, List<RevisionRow> revs, Instant now) {
        if (!migrations.enabled()) return;
        Map<String, Integer> numbers = new java.util.HashMap<>();
        revs.forEach(r -> numbers.put(r.hash(), r.number()));
        List<String> older = slots.values().stream().filter(s -> !s.hash.equals(hash) && !s.terminated()).sorted(Comparator.comparing(Slot::id))
                .map(s -> s.id() + " (revision " + numbers.getOrDefault(s.hash, 0) + (s.stopping ? ", terminating" : "") + ")").toList();
        boolean aborted = status.abortedRevision() == cur.number() || status.progressive() != null && status.progressive().state().aborted();
        boolean complete = status.lastCompleteRevision() == cur.number() && !spec.paused() && !aborted;
        boolean healthy = complete && status.available() >= spec.replicas();
        migrations.observe(new MigrationGate.Observed(hash, cur.number(), complete, healthy, older), now);
    }

    /** Kubernetes' cleanupDeployment: old empty revisions beyond revisionHistoryLimit go. */
    private void cleanup(List<RevisionRow> revs, List<ReplicaSetState> sets, RolloutSpec spec) throws SQLException {
        List<Revisions.Revision> history = revs.stream().map(r -> new Revisions.Revision(r.number(), r.hash())).toList();
        for (Revisions.Revision r : Revisions.toDelete(history, sets, spec.revisionHistoryLimit())) {
            ctx.store().deleteRevision(name, r.templateHash());
        }
    }

    private void rotateLogs() {
        long nowMillis = System.currentTimeMillis();
        if (nowMillis - lastRotation < 1000) return;
        lastRotation = nowMillis;
        slots.values().forEach(s -> s.replica.log().rotateIfNeeded());
    }

    // ---- changes from the API -------------------------------------------------------------------

    /**
     * A new spec from {@code apply}, merged as kubectl's three-way apply does: the template and
     * {@code paused} change only if the file changed them since it was last applied, so an undo,
     * a restart or a pause survives re-applying the same file. Returns whether anything changed.
     */
    boolean apply(Rollout applied, String baseDir) throws SQLException {
        boolean changed = stored(() -> {
            Rollout last = SpecJson.rollout(row.applied());
            boolean templateChanged = !applied.spec().template().equals(last.spec().template());
            boolean pausedChanged = applied.spec().paused() != last.spec().paused();
            Template template = templateChanged ? applied.spec().template() : rollout.spec().template();
            boolean paused = pausedChanged ? applied.spec().paused() : rollout.spec().paused();
            Rollout next = new Rollout(applied.metadata(), applied.spec().withTemplate(template).withPaused(paused));
            if (next.equals(rollout) && baseDir.equals(row.baseDir())) return false;
            if (templateChanged) status = status.withAbort(0, null);
            rollout = next;
            row = new Store.ServiceRow(name, row.generation() + 1, SpecJson.write(next), SpecJson.write(applied), baseDir, Json.write(status));
            ctx.store().putService(row);
            migrations.configure(next.spec().database(), Path.of(baseDir));
            event("Normal", "Applied", name, "generation " + row.generation() + (templateChanged ? ", new template" + label(template) : ", same template"));
            return true;
        });
        if (changed) wake();
        return changed;
    }

    /** A change of what is stored, made under the lock: the controller only ever acts on what was written. */
    private interface StoredChange<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code change} under the lock; if it fails (the store refused the write: a full disk, a
     * locked file) the spec, row and status in memory go back to what is stored, so that a refused
     * {@code apply} or verb is not carried out later by the next reconcile pass.
     */
    private <T> T stored(StoredChange<T> change) throws SQLException {
        synchronized (lock) {
            Store.ServiceRow savedRow = row;
            Rollout savedRollout = rollout;
            ServiceStatus savedStatus = status;
            try {
                return change.run();
            } catch (SQLException | RuntimeException e) {
                row = savedRow;
                rollout = savedRollout;
                status = savedStatus;
                throw e;
            }
        }
    }

    /** {@code rollout undo}: the template of revision {@code toRevision} (0: the one before the current). */
    String undo(int toRevision) throws SQLException {
        return stored(() -> {
            List<RevisionRow> revs = ctx.store().revisions(name);
            String hash = TemplateHash.of(rollout.spec().template());
            RevisionRow target;
            if (toRevision == 0) {
                target = revs.stream().filter(r -> !r.hash().equals(hash)).max(Comparator.comparingInt(RevisionRow::number)).orElse(null);
                if (target == null) throw new ApiException(409, "no earlier revision of " + name + " to roll back to");
            } else {
                target = revs.stream().filter(r -> r.number() == toRevision).findFirst().orElseThrow(() -> new ApiException(404,
                        "revision " + toRevision + " of " + name + " not found; revisions: "
                                + revs.stream().map(r -> Integer.toString(r.number())).toList()));
            }
            if (target.hash().equals(hash)) return "skipped rollback (revision " + target.number() + " is the current template)";
            var refusal = migrations.undoRefusal(target.number(), target.hash());
            if (refusal.isPresent()) throw new ApiException(409, "refused: " + refusal.get());
            status = status.withAbort(0, null);
            setTemplate(SpecJson.template(target.template()));
            event("Normal", "RollbackStarted", name, "rolling back to the template of revision " + target.number());
            wake();
            return "rolled back to revision " + target.number();
        });
    }

    /** {@code rollout restart}: a new template that differs only by its restart stamp, rolled out as usual. */
    void restart(Instant at) throws SQLException {
        stored(() -> {
            status = status.withAbort(0, null);
            Template restarted = rollout.spec().template().withEnv(RESTARTED_AT, at.toString());
            if (progressive(rollout.spec()) && status.progressive() != null) {
                // Same program, new stamp: no steps or analysis to go through, as Argo's restart.
                ProgressiveState st = status.progressive().state();
                String hash = TemplateHash.of(restarted);
                putStateOnly(rollout.spec().strategy() instanceof Strategy.Canary c
                        ? CanarySteps.restart(c, st, hash, at) : BlueGreenSteps.restart(st, hash, at));
            }
            setTemplate(restarted);
            event("Normal", "Restarted", name, "rolling restart of " + name);
            return null;
        });
        wake();
    }

    void pause(boolean paused) throws SQLException {
        boolean changed = stored(() -> {
            if (rollout.spec().paused() == paused) return false;
            rollout = new Rollout(rollout.metadata(), rollout.spec().withPaused(paused));
            row = new Store.ServiceRow(name, row.generation() + 1, SpecJson.write(rollout), row.applied(), row.baseDir(), Json.write(status));
            ctx.store().putService(row);
            event("Normal", paused ? "Paused" : "Resumed", name, paused ? "rollout paused" : "rollout resumed");
            return true;
        });
        if (changed) wake();
    }

    /** {@code rollout promote [--full]}: past the current step (or all of them) of a canary or blue-green rollout. */
    String promote(boolean full) throws SQLException {
        stored(() -> {
            ProgressiveState st = inFlight("promote");
            if (st.aborted()) throw new ApiException(409, name + " was aborted (" + st.abortMessage() + "); 'rollout retry' starts it again");
            ProgressiveState next = rollout.spec().strategy() instanceof Strategy.Canary c
                    ? CanarySteps.promote(c, st, full, Instant.now()) : BlueGreenSteps.promote(st, full, Instant.now());
            putProgressive(next);
            event("Normal", "Promoted", name, full ? "promoted in full: remaining steps and analysis skipped" : "promoted past the current step");
            return null;
        });
        wake();
        return full ? "promoted (full)" : "promoted";
    }

    /** {@code rollout abort}: all traffic back to stable; the rollout stays aborted until retry, undo or a new template. */
    String abortRollout() throws SQLException {
        String result = stored(() -> {
            ProgressiveState st = inFlight("abort");
            if (st.aborted()) return "already aborted";
            abortProgressive("aborted by 'rollout abort'", Instant.now());
            ctx.store().putStatus(name, Json.write(status));
            return "aborted";
        });
        wake();
        return result;
    }

    /** {@code rollout retry}: an aborted canary or blue-green rollout starts again from its first step. */
    String retry() throws SQLException {
        stored(() -> {
            ProgressiveState st = inFlight("retry");
            if (!st.aborted()) throw new ApiException(409, name + " is not aborted; nothing to retry");
            putProgressive(st.retry(Instant.now()));
            event("Normal", "Retried", name, "rollout of " + st.canaryHash() + " starts again from its first step");
            return null;
        });
        wake();
        return "retrying";
    }

    private ProgressiveState inFlight(String verb) {
        if (!progressive(rollout.spec())) {
            throw new ApiException(409, verb + " is for canary and blue-green rollouts; " + name + " uses "
                    + (rollout.spec().strategy() instanceof Strategy.Recreate ? "Recreate" : "RollingUpdate"));
        }
        ProgressiveState st = status.progressive() == null ? null : status.progressive().state();
        if (st == null || st.canaryHash() == null) throw new ApiException(409, name + " has no rollout in progress (it is on its stable revision)");
        return st;
    }

    private void abortProgressive(String why, Instant now) {
        ProgressiveState st = status.progressive().state();
        if (st.aborted() || st.canaryHash() == null) return;
        String message = "revision " + st.canaryHash() + " aborted: " + why + "; all traffic is back on " + st.stableHash();
        putStateOnly(st.abort(message, now));
        event("Warning", "RolloutAborted", name, message);
    }

    private void putProgressive(ProgressiveState st) throws SQLException {
        putStateOnly(st);
        ctx.store().putStatus(name, Json.write(status));
    }

    private void putStateOnly(ProgressiveState st) {
        ServiceStatus.Progressive p = status.progressive();
        status = status.withProgressive(new ServiceStatus.Progressive(p.strategy(), st, p.step(), p.weights(), p.preview(), p.analysis()));
    }

    private void setTemplate(Template t) throws SQLException {
        rollout = new Rollout(rollout.metadata(), rollout.spec().withTemplate(t));
        row = new Store.ServiceRow(name, row.generation() + 1, SpecJson.write(rollout), row.applied(), row.baseDir(), Json.write(status));
        ctx.store().putService(row);
    }

    // ---- views ----------------------------------------------------------------------------------

    /** The analysis runs, current and the last few finished ones. */
    List<dev.rollgate.local.analysis.AnalysisRun.View> analysisViews() {
        return analyses.views();
    }

    ServiceView view() throws SQLException {
        synchronized (lock) {
            RolloutSpec spec = rollout.spec();
            Instant now = Instant.now();
            List<RevisionRow> revs = ctx.store().revisions(name);
            String hash = TemplateHash.of(spec.template());
            List<ReplicaSetState> sets = observe(revs, spec.minReadySeconds(), now);
            List<ServiceView.RevisionView> revisions = new ArrayList<>();
            for (int i = 0; i < revs.size(); i++) {
                RevisionRow r = revs.get(i);
                ReplicaSetState s = sets.get(i);
                revisions.add(new ServiceView.RevisionView(r.number(), SpecJson.template(r.template()).version(), r.hash(), r.replicas(),
                        s.current(), s.ready(), s.available(), r.created(), r.hash().equals(hash)));
            }
            Map<String, Integer> numbers = new java.util.HashMap<>();
            revs.forEach(r -> numbers.put(r.hash(), r.number()));
            List<ServiceView.ReplicaView> replicas = slots.values().stream()
                    .filter(s -> !s.terminated())
                    .sorted(Comparator.comparing((Slot s) -> s.created).thenComparing(Slot::id))
                    .map(s -> {
                        ReplicaStatus st = s.replica.status();
                        List<ServiceView.ProbeView> lastProbes = probes.getOrDefault(s.id(), Map.of()).values().stream()
                                .sorted(Comparator.comparing(ServiceView.ProbeView::probe)).toList();
                        return new ServiceView.ReplicaView(s.id(), numbers.getOrDefault(s.hash, 0), st.display(), st.ready(), st.reason(),
                                st.since(), st.restarts(), st.pid(), st.port(), s.stopping, lastProbes);
                    }).toList();
            String strategy = switch (spec.strategy()) {
                case Strategy.RollingUpdate ru -> "RollingUpdate (maxSurge " + ru.maxSurge() + ", maxUnavailable " + ru.maxUnavailable() + ")";
                case Strategy.Recreate re -> "Recreate";
                case Strategy.Canary c -> "Canary (" + c.steps().size() + " steps" + (c.analysis() == null ? "" : ", background analysis")
                        + (spec.service() != null && spec.service().errorMasking() ? ", error masking" : "") + ")";
                case Strategy.BlueGreen bg -> "BlueGreen (" + (bg.autoPromotionEnabled() ? "auto-promotion after " + bg.autoPromotionSeconds() + "s"
                        : "manual promotion") + (bg.previewPort() == null ? "" : ", preview port " + bg.previewPort()) + ")";
            };
            return new ServiceView(name, row.generation(), status.phase(), spec.service() == null ? 0 : spec.service().port(), strategy,
                    spec.minReadySeconds(), spec.progressDeadlineSeconds(), spec.progressDeadlineAbort(), status, revisions, replicas,
                    migrations.view());
        }
    }

    // ---- replica callbacks ----------------------------------------------------------------------

    /** The last result of each probe of each replica, for {@code describe} and the dashboard (memory only: probes run again after a restart). */
    private final Map<String, Map<dev.rollgate.spec.ProbeKind, ServiceView.ProbeView>> probes = new ConcurrentHashMap<>();

    @Override
    public void onProbe(String replica, dev.rollgate.spec.ProbeKind kind, dev.rollgate.local.ProbeResult result) {
        probes.computeIfAbsent(replica, r -> new ConcurrentHashMap<>()).put(kind, new ServiceView.ProbeView(
                kind.name().toLowerCase(java.util.Locale.ROOT), result.outcome().name(), result.detail(), Instant.now()));
    }

    @Override
    public void onEvent(ReplicaEvent e) {
        event(e.type().name(), e.reason(), e.replica(), e.message(), e.time());
    }

    @Override
    public void onStatus(ReplicaStatus s) {
        if (proxy != null) proxy.onStatus(s);
        Slot slot = slots.get(s.replica());
        if (slot == null) return;
        if (s.ready() && !slot.ready) slot.readySince = Instant.now();
        if (!s.ready()) slot.readySince = null;
        slot.ready = s.ready();
        if (s.pid() > 0 && s.pid() != slot.pid) {
            slot.pid = s.pid();
            try {
                ctx.store().putReplica(new ReplicaRow(slot.id(), name, slot.hash, s.pid(), ProcessGroup.startTicks(s.pid()).orElse(0L),
                        s.port(), slot.created));
            } catch (SQLException e) {
                event("Warning", "StoreFailed", slot.id(), "could not record pid " + s.pid() + ": " + e.getMessage());
            }
        }
        wake.release();
    }

    // ---- stopping -------------------------------------------------------------------------------

    /** Stops every replica by the kubelet's order (out of traffic, drained, preStop, SIGTERM, SIGKILL) and the proxy. */
    CompletableFuture<Void> stopAll() {
        closing = true;
        if (loop != null) loop.interrupt();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        synchronized (lock) {
            for (Slot s : slots.values()) {
                s.stopping = true;
                s.replica.stop();
                all.add(s.gone);
            }
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> close());
    }

    /** Stops deciding, leaving the replicas running and the data plane's table as it is, for the next daemon. */
    void detach() {
        closing = true;
        if (loop != null) loop.interrupt();
        migrations.close();
        if (proxy != null) proxy.detach();
        analyses.close();
        webhooks.close();
    }

    @Override
    public void close() {
        closing = true;
        if (loop != null) loop.interrupt();
        migrations.close();
        analyses.close();
        webhooks.close();
        if (proxy != null) proxy.close();
    }

    // ---- helpers --------------------------------------------------------------------------------

    private Template runtime(Template t) {
        return t.withEnv(DaemonContext.MARKER, ctx.stateDir().toString());
    }

    private Path workingDir(Template t) {
        Path base = Path.of(row.baseDir());
        return t.workingDir() == null ? base : base.resolve(t.workingDir());
    }

    private ReplicaConfig config(Path workingDir) {
        Drain drain = proxy == null ? Drain.NONE : proxy;
        return new ReplicaConfig(workingDir, ctx.logDir(name), CrashLoopBackOff.KUBELET, ReplicaLog.DEFAULT_MAX_BYTES, this, null, drain);
    }

    private static RevisionRow find(List<RevisionRow> revs, String hash) {
        return revs.stream().filter(r -> r.hash().equals(hash)).findFirst().orElse(null);
    }

    private static RevisionRow byNumber(List<RevisionRow> revs, int number) {
        return revs.stream().filter(r -> r.number() == number).findFirst().orElseThrow();
    }

    private static String label(Template t) {
        return t.version() == null ? "" : " (" + t.version() + ")";
    }

    private static String suffix() {
        String alphabet = "bcdfghjklmnpqrstvwxz2456789"; // as Kubernetes' rand.String: no vowels, no look-alikes
        StringBuilder b = new StringBuilder(5);
        for (int i = 0; i < 5; i++) b.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        return b.toString();
    }

    private void event(String type, String reason, String object, String message) {
        event(type, reason, object, message, Instant.now());
    }

    private void event(String type, String reason, String object, String message, Instant at) {
        if (object.equals(name)) {
            Map<String, Object> details = new java.util.LinkedHashMap<>();
            details.put("revision", status.revision());
            if (status.version() != null) details.put("version", status.version());
            webhooks.send(rollout.spec().webhooks(), name, reason, type, message, details,
                    (url, why) -> event("Warning", "WebhookFailed", name, "POST " + url + " failed: " + why));
        }
        try {
            ctx.store().addEvent(name, at, type, reason, object, message);
        } catch (SQLException e) {
            System.err.println("rollgate: cannot record event " + reason + " of " + object + ": " + e.getMessage());
        }
    }
}
