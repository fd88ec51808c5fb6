package dev.rollgate.local.migrations;

import dev.rollgate.controller.Action;
import dev.rollgate.controller.Observed;
import dev.rollgate.controller.SchemaMigrations;
import dev.rollgate.lint.Severity;
import dev.rollgate.local.daemon.RepeatedFailure;
import dev.rollgate.local.store.Store;
import dev.rollgate.migrate.ContractGate;
import dev.rollgate.migrate.Database;
import dev.rollgate.migrate.Migration;
import dev.rollgate.migrate.MigrationFolder;
import dev.rollgate.migrate.MigrationLint;
import dev.rollgate.migrate.Migrator;
import dev.rollgate.migrate.Phase;
import dev.rollgate.spec.DatabaseSpec;
import dev.rollgate.view.MigrationsView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One service's schema changes, gated by its rollout. Expand migrations run before a new
 * revision's first replica starts (the controller holds the revision at zero until then; a failure
 * rolls it back). Contract migrations wait until the rollout completed, nothing of an older
 * revision runs or holds a database session, and the service has stayed healthy for
 * {@code contractAfter}. Database work happens on the gate's own thread, never in the controller's pass.
 */
public final class MigrationGate implements SchemaMigrations, AutoCloseable {

    /** The controller, as the gate needs it. */
    public interface Host {
        void event(String type, String reason, String message);

        void wake();
    }

    private enum State { RUNNING, DONE, FAILED }

    private record Expand(State state, String error) {}

    private static final Duration TICK = Duration.ofSeconds(2);

    private final String service;
    private final Store store;
    private final Host host;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("migrations-", 0).factory());
    private final Map<String, Expand> expands = new ConcurrentHashMap<>();
    private volatile DatabaseSpec spec;
    private volatile Path baseDir;
    private volatile Action.ReportRollout observed;
    private volatile Instant healthySince;
    private volatile Map<String, List<String>> held = Map.of();
    private String heldSaid = "";
    /** The tick's failures: one event for a failure that repeats, and retries a minute apart at most. */
    private final RepeatedFailure tickFailures = new RepeatedFailure(TICK, Duration.ofMinutes(1));
    private volatile MigrationsView view;

    public MigrationGate(String service, Store store, Host host) {
        this.service = service;
        this.store = store;
        this.host = host;
        worker.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The spec's database and the directory its paths are relative to; a new apply also forgets earlier failures, to try again. */
    public void configure(DatabaseSpec database, Path dir) {
        spec = database;
        baseDir = dir;
        expands.values().removeIf(e -> e.state() == State.FAILED);
        if (database == null) view = null;
    }

    /**
     * Why {@code apply} must refuse a spec's migrations before anything runs: a folder that breaks
     * the naming rules, or an expand migration the old version could not live with (a lint error).
     */
    public static List<String> refusals(DatabaseSpec database, Path dir) {
        if (database == null) return List.of();
        MigrationFolder.Contents c = MigrationFolder.read(dir.resolve(database.migrations()).normalize());
        List<String> out = new ArrayList<>(c.errors());
        for (Migration m : c.migrations()) {
            for (var f : MigrationLint.check(m)) {
                if (f.severity() == Severity.error) {
                    out.add(f.file() + ":" + f.line() + ": " + f.check() + ": " + f.message() + "; fix: " + f.fix());
                }
            }
        }
        return out;
    }

    /** The application_name a replica of the revision with {@code hash} gives its database sessions. */
    public String applicationName(String hash) {
        return service + "@" + hash.substring(0, Math.min(10, hash.length()));
    }

    public boolean enabled() {
        return spec != null;
    }

    @Override
    public Observed.Migrations state(String hash) {
        if (spec == null) return Observed.Migrations.NONE;
        Expand e = expands.get(hash);
        if (e == null) return new Observed.Migrations(Observed.Migrations.Expand.NOT_STARTED, null);
        return switch (e.state()) {
            case RUNNING -> new Observed.Migrations(Observed.Migrations.Expand.RUNNING, null);
            case DONE -> new Observed.Migrations(Observed.Migrations.Expand.DONE, null);
            case FAILED -> new Observed.Migrations(Observed.Migrations.Expand.FAILED, e.error());
        };
    }

    /** Starts the expand migrations of {@code hash} on the gate's thread (once); the controller is woken when they end. */
    @Override
    public void expand(String hash) {
        if (spec != null && expands.putIfAbsent(hash, new Expand(State.RUNNING, null)) == null) worker.execute(() -> expand0(hash));
    }

    /** What the controller saw; the contract gate decides on the next tick. */
    @Override
    public void report(Action.ReportRollout o) {
        Instant now = Instant.now();
        Action.ReportRollout before = observed;
        boolean sameRevision = before != null && before.hash().equals(o.hash());
        if (!o.healthy() || !sameRevision) healthySince = o.healthy() ? now : null;
        else if (healthySince == null) healthySince = now;
        observed = o;
    }

    /** Why {@code rollout undo} to this revision must be refused: a contract migration it was not deployed with has run. */
    public Optional<String> undoRefusal(int revision, String hash) {
        if (spec == null) return Optional.empty();
        try {
            Set<String> known = store.revisionMigrations(service, hash).orElse(Set.of());
            Map<String, String> contracts = new TreeMap<>();
            new Migrator(database(), 0, Duration.ZERO).history().values().stream()
                    .filter(a -> a.success() && a.script().contains("__contract_")).forEach(a -> contracts.put(a.version(), a.script()));
            return ContractGate.undoRefusal(revision, known, contracts);
        } catch (SQLException | IOException e) {
            return Optional.of("the database's migrations cannot be checked (" + e.getMessage() + "), so an undo could run code older than its schema");
        }
    }

    public MigrationsView view() {
        return view;
    }

    // ---- on the gate's thread ------------------------------------------------------------------------

    private void expand0(String hash) {
        DatabaseSpec s = spec;
        try {
            MigrationFolder.Contents folder = folder(s);
            Migrator migrator = new Migrator(database(), 5, Duration.ofSeconds(1));
            Split split = split(folder, migrator.history());
            List<Migration> applied = split.applied(), pending = split.expand();
            if (!pending.isEmpty()) {
                host.event("Normal", "MigrationsRunning", "running " + pending.size() + " expand migration(s) before the new revision's"
                        + " first replica: " + String.join(", ", pending.stream().map(Migration::name).toList()));
            }
            for (Migration m : migrator.migrate(applied, pending, this::retrying)) {
                host.event("Normal", "MigrationApplied", m.name() + " (expand) applied");
            }
            store.putRevisionMigrations(service, hash, folder.migrations().stream().map(Migration::version).toList());
            expands.put(hash, new Expand(State.DONE, null));
        } catch (Migrator.MigrationFailed e) {
            String why = (e.migration() == null ? "" : e.migration() + " failed: ") + e.getMessage();
            host.event("Warning", "MigrationFailed", why);
            expands.put(hash, new Expand(State.FAILED, why));
        } catch (IOException | SQLException | RuntimeException e) {
            host.event("Warning", "MigrationFailed", e.getMessage());
            expands.put(hash, new Expand(State.FAILED, e.getMessage()));
        }
        host.wake();
        refresh(spec, held);
    }

    /** Every 2 s: expand migrations added since (they are safe beside running code), then the contract gate. */
    private void tick() {
        DatabaseSpec s = spec;
        Action.ReportRollout o = observed;
        if (s == null || o == null) return;
        Expand e = expands.get(o.hash());
        if (e == null || e.state() != State.DONE || !tickFailures.due(Instant.now())) return;
        try {
            MigrationFolder.Contents folder = folder(s);
            Migrator migrator = new Migrator(database(), 5, Duration.ofSeconds(1));
            Split split = split(folder, migrator.history());
            List<Migration> applied = split.applied(), expand = split.expand(), contract = split.contract();
            if (!expand.isEmpty()) {
                for (Migration m : migrator.migrate(applied, expand, this::retrying)) {
                    host.event("Normal", "MigrationApplied", m.name() + " (expand) applied");
                    applied.add(m);
                }
            }
            Set<String> shipped = store.revisionMigrations(service, o.hash()).orElse(Set.of());
            Map<String, List<String>> waiting = new LinkedHashMap<>();
            for (Migration m : List.copyOf(contract)) {
                if (shipped.stream().noneMatch(v -> Migration.compareVersions(v, m.version()) == 0)) {
                    // The folder is shared by every revision: after a rollback it still holds the newer revision's contract.
                    waiting.put(m.name(), List.of("revision " + o.revision() + " was not deployed with it: a contract migration runs with"
                            + " the revision it was applied with (apply a new template to ship it)"));
                    contract.remove(m);
                }
            }
            List<String> why = List.of();
            if (!contract.isEmpty()) {
                String mine = applicationName(o.hash());
                List<String> sessions = migrator.sessions(service + "@").stream().filter(x -> !x.applicationName().equals(mine))
                        .map(x -> x.applicationName() + " (pid " + x.pid() + ")").toList();
                why = ContractGate.holds(new ContractGate.Facts(o.complete(), o.olderReplicas(), healthySince, s.contractAfter(),
                        sessions, Instant.now()));
                if (why.isEmpty()) {
                    host.event("Normal", "MigrationsRunning", "running " + contract.size() + " contract migration(s): nothing older runs"
                            + " and the service stayed healthy for " + s.contractAfter().toSeconds() + "s: "
                            + String.join(", ", contract.stream().map(Migration::name).toList()));
                    for (Migration m : migrator.migrate(applied, contract, this::retrying)) {
                        host.event("Normal", "MigrationApplied", m.name() + " (contract) applied");
                    }
                } else {
                    for (Migration m : contract) waiting.put(m.name(), why);
                    // Said again when a kind of reason comes or goes, not when a count, a name or the window's countdown changes.
                    String said = String.join("; ", why.stream().map(r -> r.replaceAll("[:,].*", "").replaceAll("[0-9]+", "#")).toList());
                    if (!said.equals(heldSaid)) {
                        heldSaid = said;
                        host.event("Normal", "MigrationsHeld", String.join(", ", contract.stream().map(Migration::name).toList())
                                + " wait(s): " + String.join("; ", why));
                    }
                }
            }
            held = waiting;
            tickFailures.succeeded();
        } catch (Migrator.MigrationFailed x) {
            tickFailed((x.migration() == null ? "" : x.migration() + " failed: ") + x.getMessage());
        } catch (IOException | SQLException | RuntimeException x) {
            tickFailed(String.valueOf(x.getMessage()));
        }
        refresh(s, held);
    }

    private void tickFailed(String why) {
        tickFailures.failed(why, Instant.now()).ifPresent(words -> host.event("Warning", "MigrationFailed", words));
    }

    private void retrying(Migration m, int attempt, Duration backOff, String why) {
        host.event("Warning", "MigrationRetry", (m == null ? "a migration" : m.name()) + ": " + why + " (lock_timeout "
                + spec.lockTimeout().toMillis() + " ms); attempt " + (attempt + 1) + " in " + backOff.toMillis() + " ms");
    }

    /** The view {@code migrate status} and {@code describe} show, from the folder and the database's history. */
    private void refresh(DatabaseSpec s, Map<String, List<String>> waiting) {
        if (s == null) return;
        String problem = null;
        List<MigrationsView.Migration> out = new ArrayList<>();
        try {
            MigrationFolder.Contents folder = MigrationFolder.read(folderPath(s));
            if (!folder.ok()) problem = String.join("; ", folder.errors());
            Map<String, Migrator.Applied> history = new Migrator(database(), 0, Duration.ZERO).history();
            Action.ReportRollout o = observed;
            Expand e = o == null ? null : expands.get(o.hash());
            for (Migration m : folder.migrations()) {
                Migrator.Applied a = history.values().stream().filter(h -> Migration.compareVersions(h.version(), m.version()) == 0)
                        .findFirst().orElse(null);
                String state;
                List<String> why = List.of();
                if (a != null) state = "applied";
                else if (m.phase() == Phase.CONTRACT) {
                    state = "held";
                    why = waiting.getOrDefault(m.name(), List.of("the gate checks it every " + TICK.toSeconds() + " s"));
                } else state = e != null && e.state() == State.FAILED ? "failed" : "pending";
                out.add(new MigrationsView.Migration(m.version(), m.name(), m.phase().label(), state, a == null ? null : a.installedOn(), why));
            }
        } catch (SQLException | IOException | RuntimeException x) {
            problem = "the database cannot be read: " + x.getMessage();
        }
        view = new MigrationsView(s.url(), folderPath(s).toString(), s.lockTimeout(), s.contractAfter(), out, problem, Instant.now());
    }

    private MigrationFolder.Contents folder(DatabaseSpec s) throws IOException {
        MigrationFolder.Contents c = MigrationFolder.read(folderPath(s));
        if (!c.ok()) throw new IOException(String.join("; ", c.errors()));
        return c;
    }

    private Path folderPath(DatabaseSpec s) {
        return baseDir.resolve(s.migrations()).normalize();
    }

    /** A folder's migrations by what is left to do: applied already, expand to run, contract to run. */
    private record Split(List<Migration> applied, List<Migration> expand, List<Migration> contract) {}

    private static Split split(MigrationFolder.Contents folder, Map<String, Migrator.Applied> history) {
        Split out = new Split(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (Migration m : folder.migrations()) {
            if (isApplied(history, m)) out.applied().add(m);
            else if (m.phase() == Phase.EXPAND) out.expand().add(m);
            else out.contract().add(m);
        }
        return out;
    }

    private static boolean isApplied(Map<String, Migrator.Applied> history, Migration m) {
        return history.values().stream().anyMatch(h -> h.success() && Migration.compareVersions(h.version(), m.version()) == 0);
    }

    /** The database with its password from the daemon's environment or a file, as the spec says. */
    private Database database() throws IOException {
        DatabaseSpec s = spec;
        String password = null;
        if (s.passwordEnv() != null) {
            password = System.getenv(s.passwordEnv());
            if (password == null) {
                throw new IOException("spec.database.passwordEnv: the daemon's environment has no " + s.passwordEnv()
                        + " (set it where 'rollgate up' runs)");
            }
        } else if (s.passwordFile() != null) {
            Path f = baseDir.resolve(s.passwordFile());
            try {
                password = Files.readString(f).strip();
            } catch (IOException e) {
                throw new IOException("spec.database.passwordFile: cannot read " + f + ": " + e.getMessage());
            }
        }
        return new Database(s.url(), s.user(), password, s.lockTimeout());
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
