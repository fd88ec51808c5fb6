package dev.rollgate.local.daemon;

import dev.rollgate.controller.RolloutStatus;
import dev.rollgate.controller.Verbs;
import dev.rollgate.json.Json;
import dev.rollgate.local.container.Containers;
import dev.rollgate.local.dataplane.DataPlaneClient;
import dev.rollgate.local.dataplane.ProxyHandle;
import dev.rollgate.local.dataplane.ServiceProxy;
import dev.rollgate.local.process.JavaCommand;
import dev.rollgate.local.process.PortOwners;
import dev.rollgate.local.process.PrivateFiles;
import dev.rollgate.local.process.ProcessGroup;
import dev.rollgate.local.process.ProcessLauncher;
import dev.rollgate.local.secrets.ReplicaValues;
import dev.rollgate.local.secrets.SecretKey;
import dev.rollgate.local.secrets.ValueStore;
import dev.rollgate.plan.ApplyPreview;
import dev.rollgate.proxy.ProxyConfig;
import dev.rollgate.proxy.RoutingTable;
import dev.rollgate.proxy.TrafficMode;
import dev.rollgate.rollout.TemplateHash;
import dev.rollgate.spec.ConfigMap;
import dev.rollgate.spec.InvalidSpecException;
import dev.rollgate.spec.Rollout;
import dev.rollgate.spec.SpecJson;
import dev.rollgate.spec.SpecParser;
import dev.rollgate.spec.Template;
import dev.rollgate.spec.ValueRef;
import java.io.IOException;
import java.net.BindException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

/**
 * The embedded platform's daemon: one controller per applied service, the store, and the admin
 * API. The services' proxies run in the data plane process, which outlives the daemon. Opening it
 * attaches to that data plane (or starts it), re-adopts the replicas an earlier daemon left running,
 * and kills any process of this state directory that no replica claims, so nothing is orphaned.
 */
public final class Daemon {

    private final Path stateDir;
    private final DaemonContext ctx;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Map<String, ServiceController> services = new ConcurrentHashMap<>();
    private final Sources sources;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final Instant started = Instant.now();
    private AdminApi admin;
    private DataPlaneClient dataPlane;
    private FrontDoorSettings frontDoor = FrontDoorSettings.NONE;
    private AcmeCertificates acme;
    private volatile boolean stopping;
    private Thread driftWatch;
    /** How often what runs is held against what was decided (two checks in a row confirm a finding). */
    static final Duration DRIFT_CHECK = Duration.ofSeconds(10);

    private Daemon(Path stateDir, Store store, ValueStore values, FileChannel lockChannel, FileLock lock) {
        this.stateDir = stateDir;
        this.ctx = new DaemonContext(store, stateDir, ProxyConfig.defaults(), values, new ReplicaValues(values, stateDir));
        this.sources = new Sources(this, values);
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens the state directory (one daemon per directory), resumes every service, and serves the
     * admin API on {@code adminPort} (0: any). The directory and everything in it are its owner's
     * only (0700 / 0600). A directory that was used before (it has a token) but whose store is
     * missing, empty or unreadable is refused, naming the file: starting from nothing there would
     * take every running replica for an orphan and kill it.
     */
    public static Daemon open(Path stateDir, int adminPort) throws IOException, SQLException {
        return open(stateDir, adminPort, null);
    }

    /**
     * As {@link #open(Path, int)}, with the front door's settings: {@code frontDoor} replaces what
     * {@code DIR/frontdoor.json} holds (and is written there); null keeps what it holds.
     */
    public static Daemon open(Path stateDir, int adminPort, FrontDoorSettings frontDoor) throws IOException, SQLException {
        return open(stateDir, adminPort, frontDoor, null);
    }

    /** As above, with the secrets' key read from {@code secretKeyFile} (null: {@link SecretKey#where}'s default). */
    public static Daemon open(Path stateDir, int adminPort, FrontDoorSettings frontDoor, Path secretKeyFile) throws IOException, SQLException {
        Path dir = stateDir.toAbsolutePath().normalize();
        PrivateFiles.directory(dir);
        Path db = DaemonFiles.database(dir);
        if (Files.exists(DaemonFiles.tokenFile(dir)) && (!Files.exists(db) || Files.size(db) == 0)) {
            throw new IOException("the state store " + db + " is " + (Files.exists(db) ? "empty" : "missing")
                    + ", but " + dir + " has been used before (it has a token): refusing to start, which would take every replica"
                    + " still running for an orphan and kill it; restore " + db.getFileName() + " from a backup, or move " + dir
                    + " away to start afresh");
        }
        FileChannel channel = FileChannel.open(PrivateFiles.file(dir.resolve("daemon.lock")), StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException inThisJvm) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("another Rollgate daemon is running on " + dir);
        }
        Store store;
        ValueStore values;
        try {
            PrivateFiles.file(db);   // SQLite gives its -wal and -shm files the database file's mode
            PrivateFiles.narrow(dir.resolve("state.db-wal"));
            PrivateFiles.narrow(dir.resolve("state.db-shm"));
            if (Files.isDirectory(dir.resolve("logs"))) PrivateFiles.directory(dir.resolve("logs"));
            store = new Store(db);
            values = new ValueStore(db, SecretKey.where(dir, secretKeyFile), secretKeyFile == null);
        } catch (SQLException | IOException | RuntimeException e) {
            lock.release();
            channel.close();
            throw new IOException("the state store " + db + " cannot be opened: " + e.getMessage(), e);
        }
        Daemon d = new Daemon(dir, store, values, channel, lock);
        try {
            String token = DaemonFiles.token(dir);
            try {
                // The classes a data plane loaded are archived when it stops (AppCDS): a restarted one starts in half the time.
                var java = JavaCommand.current("-XX:+UseSerialGC", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError",
                        "-XX:SharedArchiveFile=" + dir.resolve("dataplane.jsa"), "-XX:+AutoCreateSharedArchive", "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
                d.dataPlane = DataPlaneClient.attach(dir, token, java, (type, reason, message) -> d.event(type, reason, "dataplane", message));
            } catch (IOException e) {
                throw new IOException("the data plane: " + e.getMessage(), e);
            }
            if (frontDoor != null) frontDoor.write(dir);
            d.acme = new AcmeCertificates(dir, new AcmeCertificates.Host() {
                @Override
                public void challenge(String token, String answer) throws IOException {
                    d.dataPlane.challenge(token, answer);
                }

                @Override
                public void certificatesChanged() {
                    d.publishFrontDoor();
                }

                @Override
                public void event(String type, String reason, String message) {
                    d.event(type, reason, "frontdoor", message);
                }
            });
            d.frontDoor = FrontDoorSettings.read(dir).orElse(FrontDoorSettings.NONE);
            d.resume();
            d.driftWatch = Thread.ofVirtual().name("drift-watch").start(d::watchDrift);
            String door = d.publishFrontDoor();
            if (door != null && d.frontDoor.listening()) throw new IOException("the front door: " + door);
            try {
                d.admin = new AdminApi(d, token, adminPort);
            } catch (BindException e) {
                throw new IOException("the admin API cannot listen on 127.0.0.1:" + adminPort + " (--admin-port): " + e.getMessage(), e);
            }
            DaemonFiles.writeAddress(dir, new DaemonFiles.Address(ProcessHandle.current().pid(), d.admin.port(),
                    DaemonFiles.logFile(dir).toString()));
        } catch (IOException | SQLException | RuntimeException e) {
            d.closeNow();
            throw e;
        }
        return d;
    }

    public Path stateDir() {
        return stateDir;
    }

    public int adminPort() {
        return admin.port();
    }

    /** The pid of the data plane process that serves the services' ports. */
    public long dataPlanePid() {
        return dataPlane.pid();
    }

    /** Since when the data plane has not answered the daemon, when it does not (null when it does). */
    public Instant dataPlaneUnansweredSince() {
        return dataPlane.unansweredSince().orElse(null);
    }

    public Instant startedAt() {
        return started;
    }

    /** Completes when the daemon has stopped (after {@link #shutdown}). */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    private void resume() throws SQLException {
        ctx.values().keyProblem().ifPresent(why -> {
            System.err.println("rollgate: warning: " + why);   // in daemon.log too: said at start, not only when a replica fails
            event("Warning", "SecretKeyUnusable", "daemon", why);
        });
        Set<String> adopted = ConcurrentHashMap.newKeySet();
        List<Callable<Void>> adoptions = new ArrayList<>();
        for (Store.ServiceRow row : ctx.store().services()) {
            Rollout r = SpecJson.rollout(row.spec());
            ServiceProxy proxy = null;
            try {
                proxy = openProxy(r, row.baseDir());
            } catch (ApiException e) {
                ctx.store().addEvent(row.name(), Instant.now(), "Warning", "ProxyFailed", row.name(), e.getMessage());
            }
            ServiceController c = new ServiceController(ctx, row, proxy);
            services.put(row.name(), c);
            List<Store.ReplicaRow> replicas = ctx.store().replicas(row.name());
            Set<String> routed = dataPlane.routed(row.name());
            adoptions.add(() -> {
                c.start(replicas, adopted, routed);
                return null;
            });
        }
        // The services' replicas are re-adopted side by side: each adoption mostly waits (the data plane's answers),
        // and one after the other 300 replicas took about 9 s.
        try (var each = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var f : each.invokeAll(adoptions)) f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException x) throw x;
            if (e.getCause() instanceof RuntimeException x) throw x;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while re-adopting replicas", e);
        }
        for (String gone : dataPlane.served()) {
            if (!services.containsKey(gone)) dataPlane.drop(gone);   // deleted while no daemon ran, or a store from a backup
        }
        for (long pid : ProcessGroup.all()) {
            Map<String, String> env = ProcessGroup.environment(pid);
            String replica = env.get(ProcessLauncher.REPLICA_VARIABLE);
            if (!stateDir.toString().equals(env.get(DaemonContext.MARKER)) || replica == null || adopted.contains(replica)) continue;
            ProcessGroup.groupOf(pid).ifPresent(group -> {
                int n = ProcessGroup.killAll(group);
                if (n > 0) {
                    event("Warning", "OrphanKilled", env.getOrDefault(ProcessLauncher.REPLICA_VARIABLE, "pid " + pid),
                            "no replica claims pid " + pid + " (a start the previous daemon did not record); killed " + n + " process(es)");
                }
            });
        }
        removeUnclaimedContainers();
        event("Normal", "DaemonStarted", "daemon", "pid " + ProcessHandle.current().pid() + ", " + services.size() + " service(s), "
                + adopted.size() + " replica(s) re-adopted");
    }

    /** Every {@link #DRIFT_CHECK}: each service's data-plane table and replicas against what its controller decided. */
    private void watchDrift() {
        while (!stopping) {
            try {
                Thread.sleep(DRIFT_CHECK.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            Map<String, RoutingTable> live;
            try {
                live = dataPlane.tables();
            } catch (IOException | RuntimeException e) {
                live = null;   // the data plane's supervisor reports it; the replicas are still checked
            }
            PortOwners ports = PortOwners.now();
            for (ServiceController c : services.values()) {
                try {
                    c.checkDrift(live == null ? null : live.get(c.name()), live != null, ports);
                } catch (RuntimeException e) {
                    // a service deleted meanwhile: checked no more
                }
            }
        }
    }

    /**
     * The containers of this state directory that no replica in the store claims (started by a daemon that died
     * before it recorded them, or left by a {@code podman run} that was killed): removed, as orphaned processes are.
     */
    private void removeUnclaimedContainers() throws SQLException {
        List<Containers.Running> found = Containers.of(stateDir.toString());
        if (found.isEmpty()) return;
        Set<String> claimed = new HashSet<>();
        for (Store.ServiceRow row : ctx.store().services()) {
            for (Store.ReplicaRow r : ctx.store().replicas(row.name())) claimed.add(r.id());
        }
        for (Containers.Running c : found) {
            if (claimed.contains(c.replica())) continue;
            if (Containers.remove(c.name())) {
                event("Warning", "OrphanRemoved", c.replica().isEmpty() ? c.name() : c.replica(),
                        "no replica claims container " + c.name() + "; removed it");
            }
        }
    }

    private ServiceProxy openProxy(Rollout r, String baseDir) {
        if (r.spec().service() == null) return null;
        int port = r.spec().service().port();
        for (ServiceController other : services.values()) {
            var s = other.rollout().spec().service();
            if (!other.name().equals(r.name()) && s != null && s.port() == port) {
                throw new ApiException(409, r.name() + ": spec.service.port " + port + " is already the port of service " + other.name());
            }
        }
        var s = r.spec().service();
        try {
            ServiceProxy p = new ServiceProxy(dataPlane.open(r.name(), port, ServiceProxy.timeoutsOf(s)), "0");
            p.limits(FrontDoorPlan.limits(s, Path.of(baseDir)));
            return p;
        } catch (ProxyHandle.ProxyException e) {
            throw new ApiException(409, r.name() + ": " + e.getMessage() + " (spec.service.port)");
        }
    }

    // ---- operations behind the admin API ---------------------------------------------------------

    /** What {@code apply} did to one service or ConfigMap ({@code kind}: service, configmap): created, configured or unchanged. */
    public record Applied(String kind, String name, String result) {}

    public List<Applied> apply(String document, String baseDir, String source) throws SQLException {
        return apply(document, baseDir, source, false);
    }

    /** {@code requireDigest}: refuse an image named by a tag only ({@code apply --require-digest}). */
    public synchronized List<Applied> apply(String document, String baseDir, String source, boolean requireDigest) throws SQLException {
        Checked checked = checked(document, baseDir, source, requireDigest);
        List<Rollout> rollouts = checked.rollouts();
        sources.write(checked.configMaps());
        List<Applied> out = new ArrayList<>();
        for (Sources.Change c : checked.configChanges()) out.add(new Applied(c.kind(), c.name(), c.result()));
        for (ImagePins.Resolution r : checked.images().resolutions()) {
            event(r.service(), "Normal", "ImageResolved", r.service(), "image " + r.tag() + " is " + r.pinned()
                    + "; the revision runs that digest, wherever the tag moves");
        }
        for (Rollout r : rollouts) {
            String written = Json.write(checked.written().get(r.name()));
            if (!ctx.store().documents(r.name()).map(written::equals).orElse(false)) ctx.store().putDocuments(r.name(), written);
            ServiceController existing = services.get(r.name());
            if (existing == null) {
                ServiceProxy proxy = openProxy(r, baseDir);
                Store.ServiceRow row = new Store.ServiceRow(r.name(), 1, SpecJson.write(r), SpecJson.write(r), baseDir,
                        Json.write(RolloutStatus.NONE));
                ctx.store().putService(row);
                event(r.name(), "Normal", "Applied", r.name(), "created from " + source);
                ServiceController c = new ServiceController(ctx, row, proxy);
                services.put(r.name(), c);
                c.start(List.of(), new HashSet<>(), Set.of());
                out.add(new Applied("service", r.name(), "created"));
                continue;
            }
            var after = r.spec().service();
            out.add(new Applied("service", r.name(), existing.apply(r, baseDir) ? "configured" : "unchanged"));
            if (existing.proxy() != null && after != null) {
                existing.proxy().timeouts(after);
                existing.proxy().limits(FrontDoorPlan.limits(after, Path.of(baseDir)));
            }
        }
        publishFrontDoor();
        Set<String> changed = Sources.changed(checked.configChanges());
        if (!changed.isEmpty()) sourcesChanged(changed);   // every service that reads them, this file's included
        sources.prune();
        return out;
    }

    /** What {@link #apply} would do with {@code document}, after the same checks, changing nothing ({@code rollgate diff}). */
    public List<ApplyPreview> preview(String document, String baseDir, String source) throws SQLException {
        return preview(document, baseDir, source, false);
    }

    public synchronized List<ApplyPreview> preview(String document, String baseDir, String source, boolean requireDigest) throws SQLException {
        return previewWithSources(document, baseDir, source, requireDigest).services();
    }

    /** A dry run's answer: the services' previews and the ConfigMaps' changes. */
    public record Preview(List<ApplyPreview> services, List<Sources.Change> configMaps) {}

    public synchronized Preview previewWithSources(String document, String baseDir, String source, boolean requireDigest) throws SQLException {
        List<ApplyPreview> out = new ArrayList<>();
        Checked checked = checked(document, baseDir, source, requireDigest);
        Set<String> changed = Sources.changed(checked.configChanges());
        var latest = sources.latest(checked.configMaps());
        // What the apply does, then the new versions of the ConfigMaps it changes reaching every service that reads them.
        UnaryOperator<Template> newer = t -> t.sources().stream().anyMatch(v -> v.rolloutOnChange() && changed.contains(v.id()))
                ? ValuePins.newest(t, latest, ref -> ref.rolloutOnChange() && changed.contains(ref.id())) : t;
        for (Rollout r : checked.rollouts()) {
            ServiceController existing = services.get(r.name());
            out.add(existing == null ? ApplyPreview.of(r.name(), null, r.spec(), List.of()) : existing.preview(r, baseDir, newer));
        }
        for (ServiceController c : services.values()) {
            if (checked.rollouts().stream().anyMatch(r -> r.name().equals(c.name()))) continue;
            Template t = c.rollout().spec().template();
            if (newer.apply(t).equals(t)) continue;
            out.add(c.preview(c.rollout(), c.baseDir(), newer));
        }
        return new Preview(out, checked.configChanges());
    }

    /** The services whose current template reads a source in {@code changed} roll out its newest version. */
    void sourcesChanged(Set<String> changed) throws SQLException {
        var latest = sources.latest(List.of());
        for (ServiceController c : services.values()) c.sourcesChanged(changed, latest);
    }

    /** Every service's current Rollout. */
    List<Rollout> currentRollouts() {
        return services.values().stream().map(ServiceController::rollout).toList();
    }

    /** Every template a service runs or may go back to: the current ones and every revision kept in the store. */
    List<Template> allTemplates() throws SQLException {
        List<Template> out = new ArrayList<>();
        for (ServiceController c : services.values()) {
            out.add(c.rollout().spec().template());
            for (Store.RevisionRow r : ctx.store().revisions(c.name())) out.add(SpecJson.template(r.template()));
        }
        return out;
    }

    Sources sources() {
        return sources;
    }

    /** A document past every check: its Rollouts pinned (images, then secrets and ConfigMaps), and its ConfigMaps. */
    private record Checked(ImagePins.Pinned images, List<Rollout> rollouts, List<ConfigMap> configMaps, List<Sources.Change> configChanges,
                           Map<String, List<Object>> written) {}

    /** {@code rollgate export [NAME]}: every service (or one) as documents apply takes. */
    public synchronized List<Exports.Export> export(String name) throws SQLException {
        List<Exports.Export> out = new ArrayList<>();
        for (ServiceController c : name == null ? services.values().stream().sorted(Comparator.comparing(ServiceController::name)).toList()
                : List.of(service(name))) {
            out.add(Exports.of(c.rollout(), c.baseDir(), ctx.store().documents(c.name()).orElse(null), ctx.values()));
        }
        return out;
    }

    /**
     * The document's Rollouts once everything apply refuses has been ruled out, their images pinned to digests
     * (last, so that a refused file costs no registry call); nothing is changed by the checks.
     */
    private Checked checked(String document, String baseDir, String source, boolean requireDigest) throws SQLException {
        if (stopping) throw new ApiException(503, "the daemon is stopping");
        List<Rollout> rollouts;
        List<ConfigMap> configMaps;
        SpecParser.Documents documents;
        try {
            documents = SpecParser.read(document);
            rollouts = documents.rollouts();
            configMaps = documents.configMaps();
        } catch (InvalidSpecException e) {
            throw new ApiException(400, source + ": the spec is not valid; nothing was applied",
                    e.errors().stream().map(err -> source + ": " + err).toList());
        }
        if (!Path.of(baseDir).isAbsolute()) throw new ApiException(400, "baseDir must be an absolute path, got " + baseDir);
        List<String> nothingToRun = rollouts.stream()
                .filter(r -> r.spec().template().command().isEmpty() && r.spec().template().image() == null)
                .map(r -> source + ": " + r.name() + ": spec.template.command or spec.template.image: required on this platform (it runs"
                        + " a local process or a container; a podTemplate is what Kubernetes runs)").toList();
        if (!nothingToRun.isEmpty()) throw new ApiException(400, source + ": the spec is not valid; nothing was applied", nothingToRun);
        List<String> clashes = FrontDoorPlan.conflicts(routesWith(rollouts, baseDir));
        if (!clashes.isEmpty()) throw new ApiException(409, source + ": the front door routes clash; nothing was applied", clashes);
        for (Rollout r : rollouts) {
            List<String> unreadable = FrontDoorPlan.unreadable(r, Path.of(baseDir));
            if (!unreadable.isEmpty()) throw new ApiException(400, source + ": " + r.name() + ": nothing was applied", unreadable);
        }
        for (Rollout r : rollouts) {
            List<String> refused = MigrationGate.refusals(r.spec().database(), Path.of(baseDir));
            if (!refused.isEmpty()) {
                throw new ApiException(400, source + ": " + r.name() + ": the migrations are refused before anything runs; nothing was applied",
                        refused);
            }
        }
        for (Rollout r : rollouts) {
            ServiceController existing = services.get(r.name());
            if (existing == null) continue;
            var before = existing.rollout().spec().service();
            var after = r.spec().service();
            if ((before == null) != (after == null) || (before != null && before.port() != after.port())) {
                throw new ApiException(409, r.name() + ": spec.service.port cannot change on a running service ("
                        + (before == null ? "none" : before.port()) + " -> " + (after == null ? "none" : after.port())
                        + "); delete the service and apply it again");
            }
        }
        ImagePins.Pinned images = ImagePins.pin(rollouts, source, requireDigest);
        List<Sources.Change> changes = sources.changes(configMaps);
        List<Rollout> pinned = ValuePins.pin(images.rollouts(), source, sources.latest(configMaps), name -> {
            ServiceController c = services.get(name);
            return c == null ? null : c.lastAppliedTemplate();
        });
        return new Checked(images, pinned, configMaps, changes, documents.written());
    }

    public List<ServiceView> list() throws SQLException {
        List<ServiceView> out = new ArrayList<>();
        for (ServiceController c : new TreeMap<>(services).values()) out.add(c.view());
        return out;
    }

    public ServiceView describe(String name) throws SQLException {
        return service(name).view();
    }

    Store store() {
        return ctx.store();
    }

    boolean has(String name) {
        return services.containsKey(name);
    }

    ServiceController service(String name) {
        ServiceController c = services.get(name);
        if (c == null) {
            throw new ApiException(404, "service " + name + " not found" + (services.isEmpty() ? " (no service is applied)"
                    : "; services: " + String.join(", ", new TreeSet<>(services.keySet()))));
        }
        return c;
    }

    /** The routes of every service, with {@code rollouts} in place of the services of the same name. */
    private List<FrontDoorPlan.Service> routesWith(List<Rollout> rollouts, String baseDir) {
        Map<String, FrontDoorPlan.Service> all = new TreeMap<>();
        for (ServiceController c : services.values()) all.put(c.name(), new FrontDoorPlan.Service(c.name(), c.rollout().spec(), Path.of(c.baseDir())));
        for (Rollout r : rollouts) all.put(r.name(), new FrontDoorPlan.Service(r.name(), r.spec(), Path.of(baseDir)));
        return List.copyOf(all.values());
    }

    /** Gives the data plane the front door as the services' specs and the daemon's settings say now; null, or why it could not. */
    synchronized String publishFrontDoor() {
        try {
            List<FrontDoorPlan.Service> all = routesWith(List.of(), "/");
            dataPlane.frontDoor(FrontDoorPlan.config(frontDoor, all, stateDir));
            if (acme != null) acme.want(frontDoor.acme(), FrontDoorPlan.acmeHosts(all));
            return null;
        } catch (ProxyHandle.ProxyException e) {
            event("Warning", "FrontDoorFailed", "daemon", e.getMessage());
            return e.getMessage();
        }
    }

    /** {@code rollgate traffic pause|stop|resume NAME}: maintenance of one service, on its port and the front door. */
    public String traffic(String name, TrafficMode mode) {
        ServiceController c = service(name);
        if (c.proxy() == null) throw new ApiException(409, name + " has no spec.service: there is no traffic to pause or stop");
        c.proxy().traffic(mode);
        String what = switch (mode.mode()) {
            case SERVE -> "resumed: requests are served again";
            case PAUSE -> "paused: new requests wait (at most " + mode.holdLimit() + ", each for at most " + mode.maxPauseSeconds()
                    + "s, then 503) until resume";
            case STOP -> "stopped: requests get 503" + (mode.message() == null ? "" : " (" + mode.message() + ")") + " with Retry-After "
                    + mode.retryAfterSeconds() + "s";
        };
        event(name, "Normal", switch (mode.mode()) {
            case SERVE -> "TrafficResumed";
            case PAUSE -> "TrafficPaused";
            case STOP -> "TrafficStopped";
        }, name, what);
        return what;
    }

    public FrontDoorSettings frontDoorSettings() {
        return frontDoor;
    }

    /** Stops every replica of the service gracefully, then forgets it (its events stay). */
    public CompletableFuture<Void> delete(String name) throws SQLException {
        ServiceController c;
        synchronized (this) {
            c = service(name);
            services.remove(name);
        }
        event(name, "Normal", "Deleting", name, "stopping every replica");
        return c.stopAll().thenRun(() -> {
            try {
                ctx.store().deleteService(name);
                event(name, "Normal", "Deleted", name, "service deleted");
                publishFrontDoor();
            } catch (SQLException e) {
                event(name, "Warning", "StoreFailed", name, e.getMessage());
            }
        });
    }

    /** The revisions of a service, oldest first, as {@code rollout history} shows them. */
    /** One revision of a service's history; {@code image}: what its replicas run (null for a process). */
    public record HistoryEntry(int revision, String version, String hash, Instant created, int replicas, boolean current, String changeCause,
                               String image, String sources) {}

    public List<HistoryEntry> history(String name) throws SQLException {
        String currentHash = TemplateHash.of(service(name).rollout().spec().template());
        List<HistoryEntry> out = new ArrayList<>();
        for (Store.RevisionRow r : ctx.store().revisions(name)) {
            var t = SpecJson.template(r.template());
            String cause = t.env().containsKey(Verbs.RESTARTED_AT) ? "restarted at " + t.env().get(Verbs.RESTARTED_AT) : "";
            out.add(new HistoryEntry(r.number(), t.version(), r.hash(), r.created(), r.replicas(), r.hash().equals(currentHash), cause,
                    t.image(), ValueRef.summary(t.sources())));
        }
        return out;
    }

    public List<Store.EventRow> events(String name, long after, int limit) throws SQLException {
        if (name != null && !services.containsKey(name) && ctx.store().events(name, 0, 1).isEmpty()) service(name);
        return ctx.store().events(name, after, limit);
    }

    /** The DORA figures of every service (or one) over deployments started since {@code since}. */
    public List<dev.rollgate.stats.DeliveryStats.Figures> stats(String name, Instant since) throws SQLException {
        List<String> names = name != null ? List.of(service(name).name()) : new TreeMap<>(services).keySet().stream().toList();
        List<dev.rollgate.stats.DeliveryStats.Figures> out = new ArrayList<>();
        Instant now = Instant.now();
        for (String n : names) out.add(DeliveryFigures.of(ctx.store(), n, since, now));
        return out;
    }

    /** Where a service's replica logs are; they outlive the service, so a deleted one's logs can still be read. */
    public Path logDir(String name) {
        boolean known = services.containsKey(name) || (name.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?") && Files.isDirectory(ctx.logDir(name)));
        if (!known) service(name);
        return ctx.logDir(name);
    }

    public String metrics() throws SQLException {
        StringBuilder b = new StringBuilder();
        b.append("# HELP rollgate_daemon_start_time_seconds When the daemon started.\n# TYPE rollgate_daemon_start_time_seconds gauge\n");
        b.append("rollgate_daemon_start_time_seconds ").append(started.getEpochSecond()).append('\n');
        b.append("# HELP rollgate_services Services applied.\n# TYPE rollgate_services gauge\nrollgate_services ").append(services.size()).append('\n');
        b.append("# HELP rollgate_store_writes_total Writes to the state store (each one transaction); an idle daemon makes none.\n"
                + "# TYPE rollgate_store_writes_total counter\nrollgate_store_writes_total ").append(ctx.store().writes()).append('\n');
        List<ServiceView> views = list();
        b.append("# HELP rollgate_rollout_revision The current revision of each service.\n# TYPE rollgate_rollout_revision gauge\n");
        for (ServiceView v : views) b.append("rollgate_rollout_revision{service=\"").append(v.name()).append("\"} ").append(v.status().revision()).append('\n');
        b.append("# HELP rollgate_rollout_phase The phase of each service's rollout (1 for the current one).\n# TYPE rollgate_rollout_phase gauge\n");
        for (ServiceView v : views) {
            b.append("rollgate_rollout_phase{service=\"").append(v.name()).append("\",phase=\"").append(v.phase()).append("\"} 1\n");
        }
        b.append("# HELP rollgate_controller_passes_total Controller passes by service.\n# TYPE rollgate_controller_passes_total counter\n");
        var byName = new TreeMap<>(services);
        for (ServiceController c : byName.values()) {
            b.append("rollgate_controller_passes_total{service=\"").append(c.name()).append("\"} ").append(c.passes()).append('\n');
        }
        b.append("# HELP rollgate_replicas Replicas by service and state.\n# TYPE rollgate_replicas gauge\n");
        for (ServiceView v : views) {
            b.append("rollgate_replicas{service=\"").append(v.name()).append("\",state=\"desired\"} ").append(v.status().desired()).append('\n');
            b.append("rollgate_replicas{service=\"").append(v.name()).append("\",state=\"updated\"} ").append(v.status().updated()).append('\n');
            b.append("rollgate_replicas{service=\"").append(v.name()).append("\",state=\"ready\"} ").append(v.status().ready()).append('\n');
            b.append("rollgate_replicas{service=\"").append(v.name()).append("\",state=\"available\"} ").append(v.status().available()).append('\n');
        }
        Map<String, String> proxies = new LinkedHashMap<>();
        for (ServiceController c : byName.values()) {
            if (c.proxy() != null) proxies.put(c.name(), c.proxy().metrics().prometheus());
        }
        return b + DeliveryFigures.prometheus(stats(null, Instant.now().minus(DeliveryFigures.METRICS_PERIOD))) + MetricsText.merge(proxies);
    }

    // ---- stopping ---------------------------------------------------------------------------------

    /** {@code rollgate down}: every service drained and stopped by the kubelet's order; the services stay applied for the next start. */
    public CompletableFuture<Void> shutdown() {
        synchronized (this) {
            if (stopping) return stopped;
            stopping = true;
            if (driftWatch != null) driftWatch.interrupt();
        }
        event("Normal", "DaemonStopping", "daemon", "stopping every replica of " + services.size() + " service(s)");
        CompletableFuture.allOf(services.values().stream().map(ServiceController::stopAll).toArray(CompletableFuture[]::new))
                .whenComplete((v, e) -> {
                    dataPlane.stop();
                    event("Normal", "DaemonStopped", "daemon", "every replica and the data plane stopped");
                    closeNow();
                    stopped.complete(null);
                });
        return stopped;
    }

    /**
     * {@code rollgate down --leave-running}: only the daemon stops. The replicas keep running and
     * the data plane keeps serving by its last table, for the next daemon to attach to (an upgrade
     * of Rollgate, or a systemd restart).
     */
    public CompletableFuture<Void> detach() {
        synchronized (this) {
            if (stopping) return stopped;
            stopping = true;
            if (driftWatch != null) driftWatch.interrupt();
        }
        services.values().forEach(ServiceController::detach);
        event("Normal", "DaemonDetached", "daemon", "the daemon stops alone: " + services.size() + " service(s) keep serving from the data plane"
                + " (pid " + dataPlane.pid() + ") and their replicas keep running; the next 'rollgate up' attaches to them");
        closeNow();
        stopped.complete(null);
        return stopped;
    }

    private void closeNow() {
        if (driftWatch != null) driftWatch.interrupt();
        if (admin != null) admin.close();
        if (acme != null) acme.close();
        if (dataPlane != null) dataPlane.close();
        try {
            Files.deleteIfExists(DaemonFiles.addressFile(stateDir));
        } catch (IOException e) {
            // the next daemon overwrites it
        }
        ctx.store().close();
        ctx.values().close();
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // released with the process anyway
        }
    }

    void event(String type, String reason, String object, String message) {
        event("", type, reason, object, message);
    }

    private void event(String service, String type, String reason, String object, String message) {
        try {
            ctx.store().addEvent(service, Instant.now(), type, reason, object, message);
        } catch (SQLException e) {
            System.err.println("rollgate: cannot record event " + reason + ": " + e.getMessage());
        }
    }
}
