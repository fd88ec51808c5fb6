package dev.rollgate.migrate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Runs migrations with Flyway, the way a rollout needs them run: only the ones the gate allows
 * now (Flyway sees a folder holding those and the ones already applied, out of order allowed, so
 * a held contract can run after a later expand), every statement under {@code lock_timeout},
 * a lock timeout retried with back-off, and one run at a time per database (a PostgreSQL advisory
 * lock shared by every Rollgate and every service on it).
 */
public final class Migrator {

    /** The advisory lock key every Rollgate takes before it migrates a database. */
    static final long LOCK_KEY = 0x526f6c6c67617465L; // "Rollgate"
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    /** What Rollgate says while it migrates: retries and waits, as events. */
    public interface Listener {
        void retrying(Migration m, int attempt, Duration backOff, String why);
    }

    /** One row of Flyway's schema history. */
    public record Applied(String version, String script, Instant installedOn, boolean success) {}

    /** A session of the database that is not Rollgate's own. */
    public record Session(int pid, String applicationName, Instant backendStart) {}

    /** A migration that failed: which one, and PostgreSQL's words. */
    public static final class MigrationFailed extends Exception {
        private final String migration;

        public MigrationFailed(String migration, String message) {
            super(message);
            this.migration = migration;
        }

        /** The file that failed, or null when it failed before any (connection, lock). */
        public String migration() {
            return migration;
        }
    }

    private final Database db;
    private final int retries;
    private final Duration firstBackOff;

    public Migrator(Database db, int retries, Duration firstBackOff) {
        this.db = db;
        this.retries = retries;
        this.firstBackOff = firstBackOff;
    }

    /** Flyway's schema history by version; empty when nothing was ever migrated. */
    public Map<String, Applied> history() throws SQLException {
        Map<String, Applied> out = new LinkedHashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            try (ResultSet exists = s.executeQuery("SELECT to_regclass('flyway_schema_history') IS NOT NULL")) {
                exists.next();
                if (!exists.getBoolean(1)) return out;
            }
            try (ResultSet r = s.executeQuery("SELECT version, script, installed_on, success FROM flyway_schema_history"
                    + " WHERE version IS NOT NULL ORDER BY installed_rank")) {
                while (r.next()) {
                    out.put(r.getString(1), new Applied(r.getString(1), r.getString(2), r.getTimestamp(3).toInstant(), r.getBoolean(4)));
                }
            }
        }
        return out;
    }

    /** Sessions whose application_name starts with {@code prefix}, other than this one. */
    public List<Session> sessions(String prefix) throws SQLException {
        List<Session> out = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement("SELECT pid, application_name, backend_start"
                + " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name LIKE ?"
                + " ORDER BY backend_start")) {
            s.setString(1, prefix.replace("%", "\\%").replace("_", "\\_") + "%");
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) out.add(new Session(r.getInt(1), r.getString(2), r.getTimestamp(3).toInstant()));
            }
        }
        return out;
    }

    /**
     * Applies {@code pending} (in version order) beside {@code applied}, the files Flyway has run
     * before; returns the ones applied now. A lock timeout is retried after 1, 2, 4 ... times
     * {@code firstBackOff}; any other error, or the last retry, fails with PostgreSQL's message.
     */
    public List<Migration> migrate(List<Migration> applied, List<Migration> pending, Listener listener) throws MigrationFailed {
        if (pending.isEmpty()) return List.of();
        List<Migration> todo = new ArrayList<>(pending);
        todo.sort(Comparator.comparing(Migration::version, Migration::compareVersions));
        Path folder = null;
        try (Connection lock = db.connect()) {
            advisoryLock(lock);
            folder = Files.createTempDirectory("rollgate-migrations");
            for (Migration m : applied) Files.writeString(folder.resolve(m.name()), m.sql());
            for (Migration m : todo) Files.writeString(folder.resolve(m.name()), m.sql());
            Flyway flyway = Flyway.configure(Migrator.class.getClassLoader())
                    .dataSource(db.url(), db.user(), db.password())
                    .locations("filesystem:" + folder)
                    .outOfOrder(true)
                    .ignoreMigrationPatterns("*:missing")
                    .initSql("SET lock_timeout = '" + db.lockTimeoutSetting() + "'")
                    .connectRetries(2)
                    .load();
            List<Migration> done = new ArrayList<>();
            Duration backOff = firstBackOff;
            for (int attempt = 1; ; attempt++) {
                try {
                    MigrateResult r = flyway.migrate();
                    r.migrations.forEach(x -> todo.stream().filter(m -> Migration.compareVersions(m.version(), x.version) == 0)
                            .findFirst().ifPresent(done::add));
                    return done;
                } catch (FlywayException e) {
                    Migration edited = editedAfterItRan(applied, todo, e);
                    if (edited != null) {
                        throw new MigrationFailed(edited.name(), "was edited after it ran: the database recorded another checksum when it was"
                                + " applied; put the file back as it was, and ship the change as a new migration");
                    }
                    Migration failed = failedOne(todo, e);
                    SQLException sql = sqlCause(e);
                    boolean lockTimeout = sql != null && LOCK_NOT_AVAILABLE.equals(sql.getSQLState());
                    if (!lockTimeout || attempt > retries) {
                        String why = sql != null ? firstLine(sql.getMessage()) + " (SQL state " + sql.getSQLState() + ")" : firstLine(e.getMessage());
                        if (lockTimeout) why += "; gave up after " + retries + " retries";
                        throw new MigrationFailed(failed == null ? null : failed.name(), why);
                    }
                    listener.retrying(failed, attempt, backOff, firstLine(sql.getMessage()));
                    Thread.sleep(backOff.toMillis());
                    backOff = backOff.multipliedBy(2);
                }
            }
        } catch (SQLException e) {
            throw new MigrationFailed(null, "cannot reach the database: " + firstLine(e.getMessage()));
        } catch (IOException e) {
            throw new MigrationFailed(null, "cannot stage the migrations: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationFailed(null, "interrupted");
        } finally {
            if (folder != null) deleteQuietly(folder);
        }
    }

    /** Waits for the database's migration lock (another Rollgate, or another service on the same database, may hold it). */
    private static void advisoryLock(Connection c) throws SQLException, InterruptedException {
        long end = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            s.setLong(1, LOCK_KEY);
            while (true) {
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    if (r.getBoolean(1)) return;
                }
                if (System.nanoTime() > end) throw new SQLException("another migration has held the database's migration lock for 10 minutes");
                Thread.sleep(200);
            }
        }
    }

    private static final Pattern CHECKSUM_MISMATCH =
            Pattern.compile("checksum mismatch for migration version ([0-9][0-9._]*)", Pattern.CASE_INSENSITIVE);

    /** The file Flyway's validation found changed since it ran (its message names the version only). */
    private static Migration editedAfterItRan(List<Migration> applied, List<Migration> todo, FlywayException e) {
        var m = CHECKSUM_MISMATCH.matcher(String.valueOf(e.getMessage()));
        if (!m.find()) return null;
        String version = m.group(1);
        return Stream.concat(applied.stream(), todo.stream())
                .filter(x -> Migration.compareVersions(x.version(), version) == 0).findFirst().orElse(null);
    }

    private static Migration failedOne(List<Migration> todo, FlywayException e) {
        String text = String.valueOf(e.getMessage());
        return todo.stream().filter(m -> text.contains(m.name()) || text.contains(m.description())).findFirst().orElse(null);
    }

    private static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) return s;
        }
        return null;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.strip().lines().findFirst().orElse("");
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) Files.deleteIfExists(f);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temp directory; the OS cleans it
        }
    }
}
