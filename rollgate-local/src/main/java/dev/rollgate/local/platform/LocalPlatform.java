package dev.rollgate.local.platform;

import dev.rollgate.controller.Action;
import dev.rollgate.controller.Observed;
import dev.rollgate.controller.Platform;
import dev.rollgate.local.container.ContainerOwner;
import dev.rollgate.local.container.ContainerRun;
import dev.rollgate.local.daemon.DaemonContext;
import dev.rollgate.local.dataplane.client.ServiceProxy;
import dev.rollgate.local.migrations.MigrationGate;
import dev.rollgate.local.probe.ProbeResult;
import dev.rollgate.local.process.PortOwners;
import dev.rollgate.local.process.ProcessGroup;
import dev.rollgate.local.process.ProcessLauncher;
import dev.rollgate.local.process.ReplicaProcess;
import dev.rollgate.local.replica.CrashLoopBackOff;
import dev.rollgate.local.replica.Drain;
import dev.rollgate.local.replica.Replica;
import dev.rollgate.local.replica.ReplicaConfig;
import dev.rollgate.local.replica.ReplicaEvent;
import dev.rollgate.local.replica.ReplicaListener;
import dev.rollgate.local.replica.ReplicaLog;
import dev.rollgate.local.replica.ReplicaStatus;
import dev.rollgate.local.store.Store.ReplicaRow;
import dev.rollgate.local.store.Store.RevisionRow;
import dev.rollgate.local.store.StoredService;
import dev.rollgate.rollout.ReplicaRanking;
import dev.rollgate.spec.ProbeKind;
import dev.rollgate.spec.RolloutSpec;
import dev.rollgate.spec.SpecJson;
import dev.rollgate.spec.Template;
import dev.rollgate.view.ServiceView;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The embedded platform for one service: revision groups are rows of the store, their replicas
 * local processes. It plays the ReplicaSet controller (starts and stops replicas until each
 * group has its size) and hands every replica's state to the service's proxy.
 */
public final class LocalPlatform implements Platform, ReplicaListener {

    private final DaemonContext ctx;
    private final String name;
    private final ServiceProxy proxy;
    private final MigrationGate migrations;
    private final Supplier<RolloutSpec> spec;
    private final Supplier<String> baseDir;
    private final StoredService events;
    private final Runnable wake;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    /** The last result of each probe of each replica, for {@code describe} and the dashboard (memory only: probes run again after a restart). */
    private final Map<String, Map<ProbeKind, ServiceView.ProbeView>> probes = new ConcurrentHashMap<>();
    private long lastRotation;
    /**
     * The service's revision rows as the store has them, read once and again only after this platform wrote
     * one (it is their only writer), and each revision's template parsed once: a pass reads neither.
     */
    private volatile List<RevisionRow> revisionRows;
    private final Map<String, Template> templates = new ConcurrentHashMap<>();

    public LocalPlatform(DaemonContext ctx, String name, ServiceProxy proxy, MigrationGate migrations, Supplier<RolloutSpec> spec,
                  Supplier<String> baseDir, StoredService events, Runnable wake) {
        this.ctx = ctx;
        this.name = name;
        this.proxy = proxy;
        this.migrations = migrations;
        this.spec = spec;
        this.baseDir = baseDir;
        this.events = events;
        this.wake = wake;
    }

    // ---- adoption -------------------------------------------------------------------------------

    /**
     * Re-adopts the replica processes an earlier daemon left running (same pid and same start
     * time) and forgets the ones that are gone. {@code routed}: the endpoints the data plane was
     * routing to; those replicas are adopted Ready.
     */
    public void adopt(List<ReplicaRow> stored, Set<String> adopted, Set<String> routed) throws SQLException {
        Map<String, RevisionRow> revisions = new HashMap<>();
        for (RevisionRow r : revisions()) revisions.put(r.hash(), r);
        Set<String> stopping = ctx.store().stopping(name);
        for (ReplicaRow r : stored) {
            RevisionRow rev = revisions.get(r.hash());
            boolean same = r.pid() > 0 && ProcessGroup.startTicks(r.pid()).map(t -> t == r.startTicks()).orElse(false);
            Optional<ProcessHandle> handle = same ? ProcessHandle.of(r.pid()) : Optional.empty();
            if (rev == null || handle.isEmpty()) {
                ctx.store().deleteReplica(r.id());
                event("Warning", "ReplicaLost", r.id(), r.pid() > 0
                        ? "pid " + r.pid() + " is gone (or is another process now); a new replica replaces it"
                        : "was never started; a new replica replaces it");
                continue;
            }
            Template t = template(rev);
            Path workingDir = workingDir(t);
            String container = t.runsContainer() ? ContainerRun.name(ctx.stateDir().toString(), r.id()) : null;
            var env = t.runsContainer() ? ContainerRun.environment(t, r.id()) : ProcessLauncher.environment(runtime(t).env(), r.port(), r.id());
            ReplicaProcess running = ReplicaProcess.adopted(handle.get(), r.port(), env, workingDir, container);
            // One that was being stopped finishes its termination: never probed, never Ready, never routed to.
            boolean wasStopping = stopping.contains(r.id());
            ReplicaConfig config = config(workingDir, t, r.hash());
            Replica replica = wasStopping ? Replica.adoptingToStop(r.id(), runtime(t), config, running)
                    : Replica.adopting(r.id(), runtime(t), config, running, routed.contains(r.id() + "@" + r.port()));
            Slot slot = new Slot(replica, r.hash(), r.created());
            slot.stopping = wasStopping;
            slot.pid = r.pid();
            track(slot);
            onStatus(replica.status());   // in the table before the first one is published: traffic keeps its endpoints
            adopted.add(r.id());
            replica.start();
        }
    }

    // ---- Platform -------------------------------------------------------------------------------

    @Override
    public List<Observed.Group> groups() {
        List<Observed.Group> out = new ArrayList<>();
        for (RevisionRow r : revisions()) {
            List<Observed.Member> members = slots.values().stream().filter(s -> s.hash.equals(r.hash()))
                    .sorted(Comparator.comparing((Slot s) -> s.created).thenComparing(Slot::id))
                    .map(s -> new Observed.Member(s.id(), s.created, s.ready, s.readySince, s.stopping, s.terminated())).toList();
            out.add(new Observed.Group(r.number(), r.hash(), template(r), r.replicas(), r.desiredFor(), r.maxFor(),
                    r.created(), members));
        }
        return out;
    }

    @Override
    public void create(Action.CreateGroup c) {
        try {
            RevisionRow existing = revision(c.hash()).orElse(null);
            RevisionRow next = existing == null
                    ? new RevisionRow(name, c.hash(), c.revision(), SpecJson.write(c.template()), 0, Instant.now(), 0, 0)
                    : new RevisionRow(name, c.hash(), c.revision(), existing.template(), existing.replicas(), existing.created(),
                            existing.desiredFor(), existing.maxFor());
            if (!next.equals(existing)) putRevision(next);
        } catch (SQLException e) {
            throw new IllegalStateException("state store: " + e.getMessage(), e);
        }
    }

    @Override
    public void scale(Action.ScaleGroup s) {
        try {
            RevisionRow r = revision(s.hash()).orElseThrow();
            RevisionRow scaled = r.scaled(s.replicas(), s.desiredFor(), s.maxFor());
            if (!scaled.equals(r)) putRevision(scaled); // a pass that changes nothing writes nothing
        } catch (SQLException e) {
            throw new IllegalStateException("state store: " + e.getMessage(), e);
        }
        for (String id : s.remove()) {
            Slot slot = slots.get(id);
            if (slot != null && !slot.stopping) stop(slot);
        }
    }

    @Override
    public void delete(Action.DeleteGroup d) {
        try {
            ctx.store().deleteRevision(name, d.hash());
            revisionRows = null;
            templates.remove(d.hash());
        } catch (SQLException e) {
            throw new IllegalStateException("state store: " + e.getMessage(), e);
        }
    }

    /** The ReplicaSet controller's part: replicas of no group stop, each group is brought to its size (slow start included). */
    @Override
    public void converge() {
        RolloutSpec s = spec.get();
        List<RevisionRow> revs = revisions();
        for (Slot slot : slots.values()) {
            if (!slot.stopping && revs.stream().noneMatch(r -> r.hash().equals(slot.hash))) stop(slot);
        }
        for (RevisionRow r : revs) {
            List<Slot> active = slots.values().stream().filter(x -> x.hash.equals(r.hash()) && !x.stopping).toList();
            List<ReplicaRanking.Candidate> candidates = active.stream()
                    .map(x -> new ReplicaRanking.Candidate(x.id(), x.ready, x.created)).toList();
            for (String id : ReplicaRanking.toDelete(candidates, active.size() - r.replicas())) stop(slots.get(id));
            int starting = (int) slots.values().stream().filter(x -> !x.stopping && !x.ready).count();
            int allowed = ReplicaRanking.allowedStarts(r.replicas() - active.size(), starting, s.maxConcurrentStarts());
            for (int i = 0; i < allowed; i++) startReplica(r, s);
        }
        rotateLogs();
    }

    // ---- replicas -------------------------------------------------------------------------------

    private List<RevisionRow> revisions() {
        List<RevisionRow> rows = revisionRows;
        if (rows == null) {
            try {
                rows = List.copyOf(ctx.store().revisions(name));
            } catch (SQLException e) {
                throw new IllegalStateException("state store: " + e.getMessage(), e);
            }
            revisionRows = rows;
        }
        return rows;
    }

    private Optional<RevisionRow> revision(String hash) {
        return revisions().stream().filter(r -> r.hash().equals(hash)).findFirst();
    }

    private void putRevision(RevisionRow r) throws SQLException {
        ctx.store().putRevision(r);
        revisionRows = null; // read again after the write, in the store's order
    }

    /** A revision's template: its hash names it, so it is parsed once. */
    private Template template(RevisionRow r) {
        return templates.computeIfAbsent(r.hash(), h -> SpecJson.template(r.template()));
    }

    private void startReplica(RevisionRow r, RolloutSpec s) {
        Template t = template(r);
        String id = name + "-" + r.hash().substring(0, 6) + "-" + suffix();
        Template run = runtime(t);
        // libpq reads PGAPPNAME; a JDBC app passes it as ApplicationName: the contract gate finds older revisions' sessions by it.
        if (migrations.enabled()) run = run.withEnv("PGAPPNAME", migrations.applicationName(r.hash()));
        Replica replica = new Replica(id, run, config(workingDir(t), t, r.hash()));
        Instant now = Instant.now();
        Slot slot = new Slot(replica, r.hash(), now);
        try {
            ctx.store().putReplica(new ReplicaRow(id, name, r.hash(), 0, 0, 0, now));
        } catch (SQLException e) {
            throw new IllegalStateException("state store: " + e.getMessage(), e);
        }
        track(slot);
        int jitter = s.startJitterSeconds();
        if (jitter <= 0) {
            replica.start();
        } else {
            long delay = ThreadLocalRandom.current().nextLong(jitter * 1000L + 1);
            CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(replica::start);
        }
    }

    private void track(Slot slot) {
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
            wake.run();
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

    /** What was changed out of band in the replicas ({@link ReplicaDrift}); with {@code heal}, put back. */
    public List<String> drift(PortOwners ports, boolean heal) {
        return ReplicaDrift.find(slots.values(), hash -> revision(hash).map(this::template), ctx.stateDir().toString(), ports, heal);
    }

    /** Stops every replica by the kubelet's order (out of traffic, drained, preStop, SIGTERM, SIGKILL); completes when all are gone. */
    public CompletableFuture<Void> stopAll() {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (Slot s : slots.values()) {
            s.stopping = true;
            s.replica.stop();
            all.add(s.gone);
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    private void rotateLogs() {
        long nowMillis = System.currentTimeMillis();
        if (nowMillis - lastRotation < 1000) return;
        lastRotation = nowMillis;
        slots.values().forEach(s -> s.replica.log().rotateIfNeeded());
    }

    /** Every replica still running, oldest first, as {@code describe} shows them. */
    public List<ServiceView.ReplicaView> replicaViews(Map<String, Integer> numbers) {
        return slots.values().stream()
                .filter(s -> !s.terminated())
                .sorted(Comparator.comparing((Slot s) -> s.created).thenComparing(Slot::id))
                .map(s -> {
                    ReplicaStatus st = s.replica.status();
                    List<ServiceView.ProbeView> lastProbes = probes.getOrDefault(s.id(), Map.of()).values().stream()
                            .sorted(Comparator.comparing(ServiceView.ProbeView::probe)).toList();
                    return new ServiceView.ReplicaView(s.id(), numbers.getOrDefault(s.hash, 0), st.display(), st.ready(), st.reason(),
                            st.since(), st.restarts(), st.pid(), st.port(), s.stopping, lastProbes);
                }).toList();
    }

    // ---- replica callbacks ----------------------------------------------------------------------

    @Override
    public void onProbe(String replica, ProbeKind kind, ProbeResult result) {
        probes.computeIfAbsent(replica, r -> new ConcurrentHashMap<>()).put(kind, new ServiceView.ProbeView(
                kind.name().toLowerCase(Locale.ROOT), result.outcome().name(), result.detail(), Instant.now()));
    }

    @Override
    public void onEvent(ReplicaEvent e) {
        events.event(e.type().name(), e.reason(), e.replica(), e.message(), e.time());
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
        wake.run();
    }

    // ---- helpers --------------------------------------------------------------------------------

    private Template runtime(Template t) {
        return t.withEnv(DaemonContext.MARKER, ctx.stateDir().toString());
    }

    private Path workingDir(Template t) {
        Path base = Path.of(baseDir.get());
        return t.workingDir() == null ? base : base.resolve(t.workingDir());
    }

    private ReplicaConfig config(Path workingDir, Template t, String hash) {
        Drain drain = proxy == null ? Drain.NONE : proxy;
        ContainerOwner owner = t.runsContainer() ? new ContainerOwner(ctx.stateDir().toString(), name, hash) : null;
        return new ReplicaConfig(workingDir, ctx.logDir(name), CrashLoopBackOff.KUBELET, ReplicaLog.DEFAULT_MAX_BYTES, this, null, drain, owner,
                ctx.valueSource());
    }

    private static String suffix() {
        String alphabet = "bcdfghjklmnpqrstvwxz2456789"; // as Kubernetes' rand.String: no vowels, no look-alikes
        StringBuilder b = new StringBuilder(5);
        for (int i = 0; i < 5; i++) b.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        return b.toString();
    }

    private void event(String type, String reason, String object, String message) {
        events.event(type, reason, object, message, Instant.now());
    }
}
