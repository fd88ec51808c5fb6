package dev.rollgate.local.store;

import dev.rollgate.view.EventRow;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.sqlite.SQLiteDataSource;

/**
 * The daemon's durable state in one SQLite file (WAL, synchronous=FULL): every write is on disk
 * before the daemon acts on it, so a {@code kill -9} at any moment loses nothing it has done.
 * Services with their specs and status, revisions with their templates and group sizes, the
 * replica processes (pid and start time, to re-adopt them), and the events.
 */
public final class Store implements AutoCloseable {

    /**
     * One applied service. {@code spec} is the effective Rollout as JSON; {@code applied} the Rollout as last applied, so
     * that re-applying a file changes only what the file changed (an undo, restart or pause survives it).
     */
    public record ServiceRow(String name, long generation, String spec, String applied, String baseDir, String status) {}

    /**
     * One revision group: its number, template hash and JSON, how many replicas it should have, and
     * (as Kubernetes' desired-replicas and max-replicas annotations) the service's replicas and
     * replicas + maxSurge when it was last scaled, which proportional scaling needs.
     */
    public record RevisionRow(String service, String hash, int number, String template, int replicas, Instant created,
                              int desiredFor, int maxFor) {

        public RevisionRow scaled(int n, int desired, int max) {
            return new RevisionRow(service, hash, number, template, n, created, desired, max);
        }
    }

    /** One replica slot and the process it runs now (pid 0 while none). */
    public record ReplicaRow(String id, String service, String hash, long pid, long startTicks, int port, Instant created) {}

    private static final int SCHEMA_VERSION = 1;

    private final Connection db;
    /** Statements that changed the database, each its own transaction (a WAL fsync with synchronous=FULL). */
    private final AtomicLong writes = new AtomicLong();

    public Store(Path file) throws SQLException {
        // The driver directly, not through DriverManager's service lookup (which a merged or manifest-only class path can hide).
        SQLiteDataSource source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        db = source.getConnection();
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA busy_timeout=5000");
            int version;
            try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                version = rs.getInt(1);
            }
            if (version > SCHEMA_VERSION) {
                throw new SQLException(file + " was written by a newer Rollgate (schema " + version + ", this one knows " + SCHEMA_VERSION + ")");
            }
            s.execute("""
                    CREATE TABLE IF NOT EXISTS services(
                      name TEXT PRIMARY KEY, generation INTEGER NOT NULL, spec TEXT NOT NULL,
                      applied TEXT NOT NULL, base_dir TEXT NOT NULL, status TEXT NOT NULL)""");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS revisions(
                      service TEXT NOT NULL, hash TEXT NOT NULL, number INTEGER NOT NULL, template TEXT NOT NULL,
                      replicas INTEGER NOT NULL, created INTEGER NOT NULL, desired_for INTEGER NOT NULL DEFAULT 0,
                      max_for INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(service, hash))""");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS replicas(
                      id TEXT PRIMARY KEY, service TEXT NOT NULL, hash TEXT NOT NULL, pid INTEGER NOT NULL,
                      start_ticks INTEGER NOT NULL, port INTEGER NOT NULL, created INTEGER NOT NULL)""");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS events(
                      id INTEGER PRIMARY KEY AUTOINCREMENT, service TEXT NOT NULL, time INTEGER NOT NULL, type TEXT NOT NULL,
                      reason TEXT NOT NULL, object TEXT NOT NULL, message TEXT NOT NULL)""");
            s.execute("CREATE INDEX IF NOT EXISTS events_by_service ON events(service, id)");
            // Replicas whose termination began: a daemon that crashed mid-stop must not let the next one route to them.
            s.execute("CREATE TABLE IF NOT EXISTS stopping(id TEXT PRIMARY KEY, service TEXT NOT NULL)");
            // The migration versions each revision was deployed with: a revision older than a contract that ran cannot come back.
            s.execute("CREATE TABLE IF NOT EXISTS revision_migrations(service TEXT NOT NULL, hash TEXT NOT NULL, versions TEXT NOT NULL,"
                    + " PRIMARY KEY(service, hash))");
            // Each service's documents as last applied (its Rollout and AnalysisTemplates, as written), for rollgate export.
            s.execute("CREATE TABLE IF NOT EXISTS applied_documents(service TEXT PRIMARY KEY, documents TEXT NOT NULL)");
            s.execute("PRAGMA user_version=" + SCHEMA_VERSION);
        }
    }

    /** How many writes the store made since it opened: an idle daemon makes none. */
    public long writes() {
        return writes.get();
    }

    private void write(PreparedStatement ps) throws SQLException {
        ps.executeUpdate();
        writes.incrementAndGet();
    }

    // ---- services ------------------------------------------------------------------------------

    public synchronized List<ServiceRow> services() throws SQLException {
        List<ServiceRow> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT name, generation, spec, applied, base_dir, status FROM services ORDER BY name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(new ServiceRow(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)));
        }
        return out;
    }

    public synchronized void putService(ServiceRow r) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO services(name, generation, spec, applied, base_dir, status) VALUES(?,?,?,?,?,?) "
                        + "ON CONFLICT(name) DO UPDATE SET generation=excluded.generation, spec=excluded.spec, "
                        + "applied=excluded.applied, base_dir=excluded.base_dir, status=excluded.status")) {
            ps.setString(1, r.name());
            ps.setLong(2, r.generation());
            ps.setString(3, r.spec());
            ps.setString(4, r.applied());
            ps.setString(5, r.baseDir());
            ps.setString(6, r.status());
            write(ps);
        }
    }

    public synchronized void putStatus(String service, String status) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("UPDATE services SET status=? WHERE name=?")) {
            ps.setString(1, status);
            ps.setString(2, service);
            write(ps);
        }
    }

    /** Removes a service with its revisions and replicas; its events stay, as a record of what happened. */
    public synchronized void deleteService(String service) throws SQLException {
        for (String table : List.of("services WHERE name=?", "revisions WHERE service=?", "replicas WHERE service=?", "revision_migrations WHERE service=?",
                "applied_documents WHERE service=?")) {
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM " + table)) {
                ps.setString(1, service);
                write(ps);
            }
        }
    }

    /** The service's documents as last applied, as JSON (a list of plain objects). */
    public synchronized void putDocuments(String service, String documents) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO applied_documents(service, documents) VALUES(?,?) "
                + "ON CONFLICT(service) DO UPDATE SET documents=excluded.documents")) {
            ps.setString(1, service);
            ps.setString(2, documents);
            write(ps);
        }
    }

    public synchronized Optional<String> documents(String service) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT documents FROM applied_documents WHERE service=?")) {
            ps.setString(1, service);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    // ---- revisions -----------------------------------------------------------------------------

    /** The service's revisions, oldest (lowest number) first. */
    public synchronized List<RevisionRow> revisions(String service) throws SQLException {
        List<RevisionRow> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT hash, number, template, replicas, created, desired_for, max_for FROM revisions WHERE service=? ORDER BY number")) {
            ps.setString(1, service);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new RevisionRow(service, rs.getString(1), rs.getInt(2), rs.getString(3), rs.getInt(4), Instant.ofEpochMilli(rs.getLong(5)),
                            rs.getInt(6), rs.getInt(7)));
                }
            }
        }
        return out;
    }

    public synchronized void putRevision(RevisionRow r) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO revisions(service, hash, number, template, replicas, created, desired_for, max_for) VALUES(?,?,?,?,?,?,?,?) "
                        + "ON CONFLICT(service, hash) DO UPDATE SET number=excluded.number, replicas=excluded.replicas, "
                        + "desired_for=excluded.desired_for, max_for=excluded.max_for")) {
            ps.setString(1, r.service());
            ps.setString(2, r.hash());
            ps.setInt(3, r.number());
            ps.setString(4, r.template());
            ps.setInt(5, r.replicas());
            ps.setLong(6, r.created().toEpochMilli());
            ps.setInt(7, r.desiredFor());
            ps.setInt(8, r.maxFor());
            write(ps);
        }
    }

    public synchronized void deleteRevision(String service, String hash) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("DELETE FROM revisions WHERE service=? AND hash=?")) {
            ps.setString(1, service);
            ps.setString(2, hash);
            write(ps);
        }
    }

    // ---- replicas ------------------------------------------------------------------------------

    public synchronized List<ReplicaRow> replicas(String service) throws SQLException {
        List<ReplicaRow> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT id, hash, pid, start_ticks, port, created FROM replicas WHERE service=? ORDER BY created, id")) {
            ps.setString(1, service);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ReplicaRow(rs.getString(1), service, rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getInt(5),
                            Instant.ofEpochMilli(rs.getLong(6))));
                }
            }
        }
        return out;
    }

    public synchronized void putReplica(ReplicaRow r) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO replicas(id, service, hash, pid, start_ticks, port, created) VALUES(?,?,?,?,?,?,?) "
                        + "ON CONFLICT(id) DO UPDATE SET pid=excluded.pid, start_ticks=excluded.start_ticks, port=excluded.port")) {
            ps.setString(1, r.id());
            ps.setString(2, r.service());
            ps.setString(3, r.hash());
            ps.setLong(4, r.pid());
            ps.setLong(5, r.startTicks());
            ps.setInt(6, r.port());
            ps.setLong(7, r.created().toEpochMilli());
            write(ps);
        }
    }

    public synchronized void deleteReplica(String id) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("DELETE FROM replicas WHERE id=?")) {
            ps.setString(1, id);
            write(ps);
        }
        try (PreparedStatement ps = db.prepareStatement("DELETE FROM stopping WHERE id=?")) {
            ps.setString(1, id);
            write(ps);
        }
    }

    /** Records that replica {@code id} of {@code service} is being stopped (before the stop begins). */
    public synchronized void markStopping(String service, String id) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("INSERT OR IGNORE INTO stopping(id, service) VALUES(?,?)")) {
            ps.setString(1, id);
            ps.setString(2, service);
            write(ps);
        }
    }

    /** Records the migration versions the revision with {@code hash} was first deployed with; a later call for it changes nothing. */
    public synchronized void putRevisionMigrations(String service, String hash, Collection<String> versions) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("INSERT OR IGNORE INTO revision_migrations(service, hash, versions) VALUES(?,?,?)")) {
            ps.setString(1, service);
            ps.setString(2, hash);
            ps.setString(3, String.join(",", versions));
            write(ps);
        }
    }

    /** The migration versions the revision with {@code hash} was deployed with; empty when it was deployed without any. */
    public synchronized Optional<Set<String>> revisionMigrations(String service, String hash) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT versions FROM revision_migrations WHERE service=? AND hash=?")) {
            ps.setString(1, service);
            ps.setString(2, hash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                String v = rs.getString(1);
                return Optional.of(v.isEmpty() ? Set.of() : Set.of(v.split(",")));
            }
        }
    }

    /** The replicas of {@code service} whose stop began. */
    public synchronized Set<String> stopping(String service) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT id FROM stopping WHERE service=?")) {
            ps.setString(1, service);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    // ---- events --------------------------------------------------------------------------------

    public synchronized long addEvent(String service, Instant time, String type, String reason, String object, String message) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO events(service, time, type, reason, object, message) VALUES(?,?,?,?,?,?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, service);
            ps.setLong(2, time.toEpochMilli());
            ps.setString(3, type);
            ps.setString(4, reason);
            ps.setString(5, object);
            ps.setString(6, message);
            write(ps);
            try (ResultSet keys = ps.getGeneratedKeys()) {
                return keys.next() ? keys.getLong(1) : 0;
            }
        }
    }

    /** Events of {@code service} (every service when null) with an id above {@code after}, oldest first, at most {@code limit} of the newest. */
    public synchronized List<EventRow> events(String service, long after, int limit) throws SQLException {
        List<EventRow> out = new ArrayList<>();
        String where = service == null ? "id > ?" : "id > ? AND service = ?";
        try (PreparedStatement ps = db.prepareStatement("SELECT id, service, time, type, reason, object, message FROM events WHERE "
                + where + " ORDER BY id DESC LIMIT ?")) {
            ps.setLong(1, after);
            int i = 2;
            if (service != null) ps.setString(i++, service);
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new EventRow(rs.getLong(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7)));
                }
            }
        }
        return out.reversed();
    }

    /** Every event of {@code service} with one of {@code reasons}, oldest first. */
    public synchronized List<EventRow> events(String service, Collection<String> reasons) throws SQLException {
        List<EventRow> out = new ArrayList<>();
        String marks = String.join(",", Collections.nCopies(reasons.size(), "?"));
        try (PreparedStatement ps = db.prepareStatement("SELECT id, service, time, type, reason, object, message FROM events"
                + " WHERE service = ? AND reason IN (" + marks + ") ORDER BY id")) {
            ps.setString(1, service);
            int i = 2;
            for (String r : reasons) ps.setString(i++, r);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new EventRow(rs.getLong(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7)));
                }
            }
        }
        return out;
    }

    public synchronized Optional<ServiceRow> service(String name) throws SQLException {
        return services().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            // closing; nothing left to save
        }
    }
}
