package dev.rollgate.local.daemon;

import dev.rollgate.controller.Verbs;
import dev.rollgate.local.ApiException;
import dev.rollgate.local.api.AdminApi;
import dev.rollgate.local.dataplane.ProxyHandle;
import dev.rollgate.local.dataplane.client.DataPlaneClient;
import dev.rollgate.local.dataplane.client.ServiceProxy;
import dev.rollgate.local.frontdoor.AcmeCertificates;
import dev.rollgate.local.frontdoor.FrontDoorPlan;
import dev.rollgate.local.frontdoor.FrontDoorSettings;
import dev.rollgate.local.process.StateDirLock;
import dev.rollgate.local.secrets.ReplicaValues;
import dev.rollgate.local.secrets.SecretKey;
import dev.rollgate.local.secrets.ValueStore;
import dev.rollgate.local.store.DaemonFiles;
import dev.rollgate.local.store.Store;
import dev.rollgate.proxy.ProxyConfig;
import dev.rollgate.proxy.TrafficMode;
import dev.rollgate.rollout.TemplateHash;
import dev.rollgate.spec.Rollout;
import dev.rollgate.spec.SpecJson;
import dev.rollgate.spec.Template;
import dev.rollgate.spec.ValueRef;
import dev.rollgate.stats.DeliveryStats;
import dev.rollgate.view.EventRow;
import dev.rollgate.view.HistoryEntry;
import dev.rollgate.view.ServiceView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded platform's daemon: one controller per applied service, the store, and the admin
 * API. The services' proxies run in the data plane process, which outlives the daemon. Opening it
 * attaches to that data plane (or starts it), re-adopts the replicas an earlier daemon left running,
 * and kills any process of this state directory that no replica claims, so nothing is orphaned.
 */
public final class Daemon {

    private final Path stateDir;
    private final DaemonContext ctx;
    private final StateDirLock lock;
    private final Map<String, ServiceController> services = new ConcurrentHashMap<>();
    private final Sources sources;
    private final Applier applier;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final Instant started = Instant.now();
    // Set by DaemonStart as the daemon opens.
    AdminApi admin;
    DataPlaneClient dataPlane;
    FrontDoorSettings frontDoor = FrontDoorSettings.NONE;
    AcmeCertificates acme;
    final Set<Thread> watches = ConcurrentHashMap.newKeySet(); // the drift and ejection watches, until the daemon stops
    private volatile boolean stopping;

    Daemon(StateDirectory opened) {
        this.stateDir = opened.dir();
        this.ctx = new DaemonContext(opened.store(), stateDir, ProxyConfig.defaults(), opened.values(), new ReplicaValues(opened.values(), stateDir));
        this.sources = new Sources(this, opened.values());
        this.applier = new Applier(this);
        this.lock = opened.lock();
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
        return DaemonStart.open(stateDir, adminPort, frontDoor, secretKeyFile);
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

    ServiceProxy openProxy(Rollout r, String baseDir) {
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

    /** {@code rollgate apply}: see {@link Applier#apply}. */
    public synchronized List<Applier.Applied> apply(String document, String baseDir, String source) throws SQLException {
        return applier.apply(document, baseDir, source, false);
    }

    public synchronized List<Applier.Applied> apply(String document, String baseDir, String source, boolean requireDigest) throws SQLException {
        return applier.apply(document, baseDir, source, requireDigest);
    }

    /** {@code rollgate diff}: see {@link Applier#preview}. */
    public synchronized Applier.Preview preview(String document, String baseDir, String source, boolean requireDigest) throws SQLException {
        return applier.preview(document, baseDir, source, requireDigest);
    }

    /** The services whose current template reads a source in {@code changed} roll out its newest version. */
    void sourcesChanged(Set<String> changed) throws SQLException {
        applier.sourcesChanged(changed);
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

    public Sources sources() {
        return sources;
    }

    DaemonContext context() {
        return ctx;
    }

    /** The controllers of the applied services, by name. */
    Map<String, ServiceController> controllers() {
        return services;
    }

    boolean stopping() {
        return stopping;
    }

    DataPlaneClient dataPlane() {
        return dataPlane;
    }

    /** {@code rollgate export [NAME]}: every service (or one) as documents apply takes. */
    public synchronized List<Exports.Export> export(String name) throws SQLException {
        return applier.export(name);
    }

    public List<ServiceView> list() throws SQLException {
        List<ServiceView> out = new ArrayList<>();
        for (ServiceController c : new TreeMap<>(services).values()) out.add(c.view());
        return out;
    }

    public ServiceView describe(String name) throws SQLException {
        return service(name).view();
    }

    public Store store() {
        return ctx.store();
    }

    public boolean has(String name) {
        return services.containsKey(name);
    }

    public ServiceController service(String name) {
        ServiceController c = services.get(name);
        if (c == null) {
            throw new ApiException(404, "service " + name + " not found" + (services.isEmpty() ? " (no service is applied)"
                    : "; services: " + String.join(", ", new TreeSet<>(services.keySet()))));
        }
        return c;
    }

    /** The routes of every service, with {@code rollouts} in place of the services of the same name. */
    List<FrontDoorPlan.Service> routesWith(List<Rollout> rollouts, String baseDir) {
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
        String what = mode.describe();
        event(name, "Normal", mode.eventReason(), name, what);
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

    public List<EventRow> events(String name, long after, int limit) throws SQLException {
        if (name != null && !services.containsKey(name) && ctx.store().events(name, 0, 1).isEmpty()) service(name);
        return ctx.store().events(name, after, limit);
    }

    /** The DORA figures of every service (or one) over deployments started since {@code since}. */
    public List<DeliveryStats.Figures> stats(String name, Instant since) throws SQLException {
        List<String> names = name != null ? List.of(service(name).name()) : new TreeMap<>(services).keySet().stream().toList();
        List<DeliveryStats.Figures> out = new ArrayList<>();
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

    /** The daemon's Prometheus text: its own gauges, the delivery figures, and every service's proxy metrics. */
    public String metrics() throws SQLException {
        Map<String, Long> passes = new LinkedHashMap<>();
        Map<String, String> proxies = new LinkedHashMap<>();
        for (ServiceController c : new TreeMap<>(services).values()) {
            passes.put(c.name(), c.passes());
            if (c.proxy() != null) proxies.put(c.name(), c.proxy().metrics().prometheus());
        }
        return DaemonMetrics.text(started, ctx.store().writes(), list(), passes)
                + DeliveryFigures.prometheus(stats(null, Instant.now().minus(DeliveryFigures.METRICS_PERIOD))) + MetricsText.merge(proxies);
    }

    // ---- stopping ---------------------------------------------------------------------------------

    /** {@code rollgate down}: every service drained and stopped by the kubelet's order; the services stay applied for the next start. */
    public CompletableFuture<Void> shutdown() {
        synchronized (this) {
            if (stopping) return stopped;
            stopping = true;
            watches.forEach(Thread::interrupt);
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
            watches.forEach(Thread::interrupt);
        }
        services.values().forEach(ServiceController::detach);
        event("Normal", "DaemonDetached", "daemon", "the daemon stops alone: " + services.size() + " service(s) keep serving from the data plane"
                + " (pid " + dataPlane.pid() + ") and their replicas keep running; the next 'rollgate up' attaches to them");
        closeNow();
        stopped.complete(null);
        return stopped;
    }

    void closeNow() {
        watches.forEach(Thread::interrupt);
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
        lock.close();
    }

    void event(String type, String reason, String object, String message) {
        event("", type, reason, object, message);
    }

    void event(String service, String type, String reason, String object, String message) {
        try {
            ctx.store().addEvent(service, Instant.now(), type, reason, object, message);
        } catch (SQLException e) {
            System.err.println("rollgate: cannot record event " + reason + ": " + e.getMessage());
        }
    }
}
