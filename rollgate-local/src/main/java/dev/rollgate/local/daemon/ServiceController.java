package dev.rollgate.local.daemon;

import dev.rollgate.analysis.AnalysisRunView;
import dev.rollgate.analysis.run.AnalysisRuns;
import dev.rollgate.controller.Decision;
import dev.rollgate.controller.Observed;
import dev.rollgate.controller.Reconciler;
import dev.rollgate.controller.StateStore;
import dev.rollgate.controller.Verb;
import dev.rollgate.controller.VerbResult;
import dev.rollgate.controller.Verbs;
import dev.rollgate.local.ApiException;
import dev.rollgate.local.analysis.ProcessJobRunner;
import dev.rollgate.local.analysis.ProxyLoadTarget;
import dev.rollgate.local.analysis.ProxyMetricSource;
import dev.rollgate.local.dataplane.client.ServiceProxy;
import dev.rollgate.local.migrations.MigrationGate;
import dev.rollgate.local.platform.LocalPlatform;
import dev.rollgate.local.platform.ProxyRouter;
import dev.rollgate.local.process.PortOwners;
import dev.rollgate.local.secrets.ValueStore;
import dev.rollgate.local.store.Store.ReplicaRow;
import dev.rollgate.local.store.Store;
import dev.rollgate.local.store.StoredService;
import dev.rollgate.proxy.Ejection;
import dev.rollgate.plan.ApplyPreview;
import dev.rollgate.proxy.RoutingTable;
import dev.rollgate.spec.DriftPolicy;
import dev.rollgate.spec.Rollout;
import dev.rollgate.spec.Template;
import dev.rollgate.view.ServiceView;
import dev.rollgate.view.ServiceViews;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * One service on the embedded platform: the {@link Reconciler} over its {@link LocalPlatform},
 * {@link ProxyRouter}, {@link AnalysisRuns}, {@link MigrationGate} and {@link StoredService}, run by a
 * thread whenever a replica changes, when the last decision asked to be woken, and every 2 s.
 * The verbs of the admin API run here too, under the same lock as a pass.
 */
public final class ServiceController implements AutoCloseable {

    /**
     * A pass runs when something changed (a replica, an analysis run, a migration, a verb, an apply) and when the
     * last decision asked to be woken (minReadySeconds, a pause, the progress deadline). The resync only catches
     * what reports no event: the contract gate's window and database sessions. At 250 ms it cost an idle host more
     * than its probes did (30 services: 120 passes a second); every 2 s it is a small share of them.
     */
    private static final Duration RESYNC = Duration.ofSeconds(2);

    private final String name;
    private final Object lock = new Object();
    private final Semaphore wake = new Semaphore(0);
    private final ServiceProxy proxy;
    private final StoredService stored;
    private final ValueStore values;
    /** Drift seen on the last check, and drift reported (driftPolicy: report) and not gone since. */
    private volatile List<String> lastDriftSeen = List.of();
    private volatile List<String> reportedDrift = List.of();
    private final LocalPlatform platform;
    private final AnalysisRuns analyses;
    private final MigrationGate migrations;
    private final Reconciler reconciler;
    private volatile boolean closing;
    private final AtomicLong passes = new AtomicLong();
    private Thread loop;
    private String lastFailure;

    ServiceController(DaemonContext ctx, Store.ServiceRow row, ServiceProxy proxy) {
        this.values = ctx.values();
        this.name = row.name();
        this.proxy = proxy;
        this.stored = new StoredService(ctx.store(), row);
        this.migrations = new MigrationGate(name, ctx.store(), new MigrationGate.Host() {
            @Override
            public void event(String type, String reason, String message) {
                stored.event(type, reason, name, message, Instant.now());
            }

            @Override
            public void wake() {
                ServiceController.this.wake();
            }
        });
        migrations.configure(stored.spec().database(), Path.of(row.baseDir()));
        ProxyLoadTarget load = proxy == null ? null : new ProxyLoadTarget(proxy, stored::baseDir);
        this.analyses = new AnalysisRuns(name, stored::spec, proxy == null ? null : new ProxyMetricSource(proxy.metrics()),
                new ProcessJobRunner(() -> Path.of(stored.baseDir())), load, this::wake);
        this.platform = new LocalPlatform(ctx, name, proxy, migrations, stored::spec, stored::baseDir, stored, this::wake);
        this.reconciler = new Reconciler(name, platform, new ProxyRouter(name, proxy, stored, load), analyses, migrations, stored, Clock.systemUTC());
    }

    String name() {
        return name;
    }

    public Rollout rollout() {
        return stored.rollout();
    }

    public ServiceProxy proxy() {
        return proxy;
    }

    /** The directory the service's spec paths are relative to. */
    String baseDir() {
        return stored.baseDir();
    }

    /** Re-adopts the replicas an earlier daemon left running (see {@link LocalPlatform#adopt}), then starts the loop. */
    void start(List<ReplicaRow> replicas, Set<String> adopted, Set<String> routed) throws SQLException {
        synchronized (lock) {
            platform.adopt(replicas, adopted, routed);
        }
        loop = Thread.ofVirtual().name("controller-" + name).start(this::run);
    }

    private void run() {
        int followUps = 0;
        while (!closing) {
            Instant wakeAt = null;
            boolean changed = false;
            try {
                synchronized (lock) {
                    if (closing) return;
                    long generation = stored.generation();
                    Decision d = reconciler.reconcile();
                    wakeAt = d.wakeAt();
                    passes.incrementAndGet();
                    // A pass that moved the rollout (a rollback's new template, a step, an event) is followed by another
                    // at once, as a controller requeues: what it set in motion is not left for the resync. Bounded,
                    // in case some state says something at every pass.
                    changed = stored.generation() != generation || !d.events().isEmpty();
                }
                lastFailure = null;
            } catch (RuntimeException e) {
                String why = String.valueOf(e.getMessage());
                if (!why.equals(lastFailure)) {
                    lastFailure = why;
                    stored.event("Warning", "ReconcileFailed", name, why, Instant.now());
                }
            }
            followUps = changed ? followUps + 1 : 0;
            if (changed && followUps <= 10) continue;
            long wait = RESYNC.toMillis();
            if (wakeAt != null) wait = Math.min(wait, Math.max(0, Duration.between(Instant.now(), wakeAt).toMillis()) + 5);
            try {
                if (wake.tryAcquire(wait, TimeUnit.MILLISECONDS)) wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    void wake() {
        wake.release();
    }

    /** Controller passes since the daemon started (idle, a pass writes nothing and sends nothing). */
    long passes() {
        return passes.get();
    }

    // ---- the verbs ------------------------------------------------------------------------------

    /**
     * A new spec from {@code apply}, merged as kubectl's three-way apply does ({@link Verbs#apply}).
     * Returns whether anything changed.
     */
    boolean apply(Rollout applied, String baseDir) throws SQLException {
        boolean changed;
        synchronized (lock) {
            Rollout current = stored.rollout();
            Rollout next = new Rollout(applied.metadata(), Verbs.apply(applied.spec(), stored.lastApplied().spec(), current.spec()));
            if (next.equals(current) && baseDir.equals(stored.baseDir())) return false;
            boolean templateChanged = !next.spec().template().equals(current.spec().template());
            stored.applied(next, applied, baseDir, Verbs.applied(current.spec(), next.spec(), stored.status()));
            migrations.configure(next.spec().database(), Path.of(baseDir));
            stored.event("Normal", "Applied", name, "generation " + stored.generation()
                    + (templateChanged ? ", new template" + label(next) : ", same template"), Instant.now());
            changed = true;
        }
        wake();
        return changed;
    }

    /**
     * New versions of the secrets or ConfigMaps in {@code changed} ({@code kind/NAME}): when the current template reads one
     * with {@code rolloutOnChange}, a new template pinning the newest versions, rolled out by the strategy as an apply's.
     */
    boolean sourcesChanged(Set<String> changed, ValuePins.Latest latest) throws SQLException {
        synchronized (lock) {
            Rollout current = stored.rollout();
            Template t = current.spec().template();
            boolean rolls = t.sources().stream().anyMatch(s -> s.rolloutOnChange() && changed.contains(s.id()));
            if (!rolls) return false;
            Template next = ValuePins.newest(t, latest, ref -> ref.rolloutOnChange() && changed.contains(ref.id()));
            if (next.equals(t)) return false;
            Rollout n = new Rollout(current.metadata(), current.spec().withTemplate(next));
            stored.applied(n, stored.lastApplied(), stored.baseDir(), Verbs.applied(current.spec(), n.spec(), stored.status()));
            String what = next.sources().stream().filter(s -> changed.contains(s.id())).map(Object::toString)
                    .collect(Collectors.joining(", "));
            stored.event("Normal", "SourceChanged", name, "generation " + stored.generation() + ", new template: " + what, Instant.now());
        }
        wake();
        return true;
    }

    /** The template as the file was last applied (with the versions it pinned then). */
    Template lastAppliedTemplate() {
        synchronized (lock) {
            return stored.lastApplied().spec().template();
        }
    }

    /** What {@link #apply} would do with {@code applied}, decided on the same merge, changing nothing. */
    ApplyPreview preview(Rollout applied, String baseDir) {
        return preview(applied, baseDir, UnaryOperator.identity());
    }

    /** As {@link #preview(Rollout, String)}, with {@code after} changing the merged template (the same apply's new ConfigMaps). */
    ApplyPreview preview(Rollout applied, String baseDir, UnaryOperator<Template> after) {
        synchronized (lock) {
            Rollout current = stored.rollout();
            var merged = Verbs.apply(applied.spec(), stored.lastApplied().spec(), current.spec());
            var next = merged.withTemplate(after.apply(merged.template()));
            ApplyPreview p = ApplyPreview.of(name, current.spec(), next, Observed.Group.history(platform.groups()));
            if (p.result().equals("unchanged") && !baseDir.equals(stored.baseDir())) { // as apply counts it: the file moved
                return new ApplyPreview(name, "configured", p.changes(), "nothing rolls out; the spec's relative paths resolve from " + baseDir);
            }
            return p;
        }
    }

    private static String label(Rollout r) {
        return r.spec().template().version() == null ? "" : " (" + r.spec().template().version() + ")";
    }

    /**
     * A verb of {@code rollgate rollout}, by {@link Verbs#apply}. An undo is refused past a contract migration; a restart
     * pins the newest versions of the template's secrets and ConfigMaps, as a restarted pod reads them again.
     */
    public String act(Verb verb) {
        return verb(s -> Verbs.apply(verb, name, verb instanceof Verb.Restart
                        ? s.spec().withTemplate(ValuePins.newest(s.spec().template(), values::latest, ref -> true)) : s.spec(),
                s.status(), platform.groups(), Instant.now(), migrations::undoRefusal));
    }

    /** Runs a verb under the lock; a refusal becomes the admin API's 404 or 409. */
    private String verb(Function<StateStore.Stored, VerbResult> verb) {
        VerbResult result;
        synchronized (lock) {
            result = reconciler.verb(verb);
        }
        return switch (result) {
            case VerbResult.Done done -> {
                wake();
                yield done.message();
            }
            case VerbResult.Refused r -> throw new ApiException(r.kind() == VerbResult.Kind.NOT_FOUND ? 404 : 409, r.message());
        };
    }

    // ---- views ----------------------------------------------------------------------------------

    /** The analysis runs, current and the last few finished ones. */
    List<AnalysisRunView> analysisViews() {
        return analyses.views();
    }

    public ServiceView view() {
        synchronized (lock) {
            List<Observed.Group> groups = platform.groups();
            Map<String, Integer> numbers = new HashMap<>();
            groups.forEach(g -> numbers.put(g.hash(), g.revision()));
            return ServiceViews.of(name, stored.rollout().spec(), stored.generation(), stored.status(), groups, platform.replicaViews(numbers),
                    migrations.view(), Instant.now()).withDrift(reportedDrift);
        }
    }

    /** The proxy took a replica out of routing for its own failures ({@link EjectionWatch}): a Warning event. */
    void ejected(Ejection e) {
        String replica = e.endpoint().contains("@") ? e.endpoint().substring(0, e.endpoint().lastIndexOf('@')) : e.endpoint();
        Integer revision = null;
        synchronized (lock) {
            for (Observed.Group g : platform.groups()) if (g.hash().equals(e.revision())) revision = g.revision();
        }
        stored.event("Warning", "Ejected", name, "replica " + replica + (revision == null ? "" : " (revision " + revision + ")")
                + " is out of routing for " + e.seconds() + " s: " + e.failures() + " requests in a row failed on it"
                + " (5xx, failed connections or timeouts); ejection " + e.number() + " of it", e.at());
    }

    // ---- drift ----------------------------------------------------------------------------------

    /**
     * Holds what runs against what was decided: the data plane's table ({@code live}, null when the data plane did not answer)
     * and the replicas ({@link LocalPlatform#drift}). A finding counts once seen on two checks in a row (a table being sent, a
     * replica binding its port, is not drift); then it is put back with a {@code DriftCorrected} event, or with
     * {@code driftPolicy: report} said once with a {@code Drifted} event and shown by describe while it lasts.
     */
    void checkDrift(RoutingTable live, boolean tableKnown, PortOwners ports) {
        if (closing) return;
        boolean heal = stored.rollout().spec().driftPolicy() == DriftPolicy.HEAL;
        List<String> now = new ArrayList<>();
        if (proxy != null && tableKnown) {
            String t = proxy.drift(live, false);
            if (!t.isEmpty()) now.add(t);
        }
        now.addAll(platform.drift(ports, false));
        List<String> confirmed = now.stream().filter(lastDriftSeen::contains).toList();
        lastDriftSeen = now;
        if (heal) {
            if (confirmed.isEmpty()) return;
            if (proxy != null && tableKnown) proxy.drift(live, true);
            platform.drift(ports, true);
            for (String f : confirmed) stored.event("Normal", "DriftCorrected", name, f + "; put back", Instant.now());
            return;
        }
        if (confirmed.equals(reportedDrift)) return;
        if (!confirmed.isEmpty()) {
            stored.event("Warning", "Drifted", name, String.join("; ", confirmed) + " (driftPolicy: report: left as it is)", Instant.now());
        }
        reportedDrift = confirmed;
    }

    // ---- stopping -------------------------------------------------------------------------------

    /** Stops every replica by the kubelet's order (out of traffic, drained, preStop, SIGTERM, SIGKILL) and the proxy. */
    CompletableFuture<Void> stopAll() {
        closing = true;
        if (loop != null) loop.interrupt();
        CompletableFuture<Void> gone;
        synchronized (lock) {
            gone = platform.stopAll();
        }
        return gone.whenComplete((v, e) -> close());
    }

    /** Stops deciding, leaving the replicas running and the data plane's table as it is, for the next daemon. */
    void detach() {
        closing = true;
        if (loop != null) loop.interrupt();
        migrations.close();
        if (proxy != null) proxy.detach();
        analyses.close();
        stored.close();
    }

    @Override
    public void close() {
        closing = true;
        if (loop != null) loop.interrupt();
        migrations.close();
        analyses.close();
        stored.close();
        if (proxy != null) proxy.close();
    }
}
