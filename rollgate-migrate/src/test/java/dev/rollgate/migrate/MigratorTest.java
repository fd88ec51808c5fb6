package dev.rollgate.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Migrations on a real PostgreSQL (Debian's package, started by scripts/postgres.sh): order, holds, lock timeouts, failures, sessions. */
class MigratorTest {

    private static ThrowawayPostgres pg;
    private Database db;

    @BeforeAll
    static void startPostgres() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "rollgate-pg-");
        pg = ThrowawayPostgres.start(dir);
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (pg != null) pg.close();
    }

    @BeforeEach
    void cleanSchema() throws Exception {
        db = pg.database(Duration.ofMillis(300));
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA public CASCADE");
            s.execute("CREATE SCHEMA public");
        }
    }

    private static Migration m(String version, Phase phase, String what, String sql) {
        return new Migration(version, phase, what, Path.of("V" + version + "__" + phase.label() + "_" + what.replace(' ', '_') + ".sql"), sql);
    }

    private static final Migration USERS = m("1", Phase.EXPAND, "users", "CREATE TABLE users (id serial PRIMARY KEY, name text);"
            + " INSERT INTO users (name) VALUES ('ada'), ('grace');");
    private static final Migration DROP_NAME = m("2", Phase.CONTRACT, "drop name", "ALTER TABLE users DROP COLUMN name;");
    private static final Migration ADD_EMAIL = m("3", Phase.EXPAND, "add email", "ALTER TABLE users ADD COLUMN email text;");

    @Test
    void aHeldContractRunsAfterALaterExpand() throws Exception {
        Migrator migrator = new Migrator(db, 3, Duration.ofMillis(50));
        assertThat(migrator.migrate(List.of(), List.of(USERS, ADD_EMAIL), (m, a, b, w) -> {})).containsExactly(USERS, ADD_EMAIL);
        assertThat(migrator.history()).containsOnlyKeys("1", "3");
        assertThat(migrator.migrate(List.of(USERS, ADD_EMAIL), List.of(DROP_NAME), (m, a, b, w) -> {})).containsExactly(DROP_NAME);
        assertThat(migrator.history()).containsOnlyKeys("1", "3", "2");
        assertThat(migrator.history().get("2").script()).isEqualTo("V2__contract_drop_name.sql");
    }

    @Test
    void aFailedMigrationNamesItsFileAndPostgresWordsAndLeavesTheOthersApplied() throws Exception {
        Migrator migrator = new Migrator(db, 3, Duration.ofMillis(50));
        Migration bad = m("2", Phase.EXPAND, "typo", "ALTER TABLE users ADD COLUMN ok text; ALTER TABLE usrs ADD COLUMN x text;");
        assertThatThrownBy(() -> migrator.migrate(List.of(), List.of(USERS, bad), (m, a, b, w) -> {}))
                .isInstanceOfSatisfying(Migrator.MigrationFailed.class, e -> {
                    assertThat(e.migration()).isEqualTo("V2__expand_typo.sql");
                    assertThat(e.getMessage()).isEqualTo("ERROR: relation \"usrs\" does not exist (SQL state 42P01)");
                });
        assertThat(migrator.history()).containsOnlyKeys("1");   // V2 rolled back whole: PostgreSQL's DDL is transactional
    }

    @Test
    void aMigrationEditedAfterItRanIsNamedByItsFile() throws Exception {
        Migrator migrator = new Migrator(db, 3, Duration.ofMillis(50));
        migrator.migrate(List.of(), List.of(USERS), (m, a, b, w) -> {});
        Migration edited = m("1", Phase.EXPAND, "users", USERS.sql() + " -- and a comment added later");
        assertThatThrownBy(() -> migrator.migrate(List.of(edited), List.of(ADD_EMAIL), (m, a, b, w) -> {}))
                .isInstanceOfSatisfying(Migrator.MigrationFailed.class, e -> {
                    assertThat(e.migration()).isEqualTo("V1__expand_users.sql");
                    assertThat(e.getMessage()).startsWith("was edited after it ran");
                });
        assertThat(migrator.history()).containsOnlyKeys("1");
    }

    /**
     * A long transaction holds a lock the migration needs: the ALTER gives up after lock_timeout
     * instead of queueing every reader behind it, is retried with back-off, and goes through once
     * the transaction ends; a reader meanwhile never waits longer than about one lock_timeout.
     */
    @Test
    void aLockHeldByAnotherSessionIsWaitedForNoLongerThanLockTimeoutAndRetried() throws Exception {
        Migrator migrator = new Migrator(db, 6, Duration.ofMillis(200));
        migrator.migrate(List.of(), List.of(USERS), (m, a, b, w) -> {});
        Connection holder = db.connect();
        holder.setAutoCommit(false);
        holder.createStatement().executeQuery("SELECT * FROM users").close();   // ACCESS SHARE until commit
        AtomicLong worstRead = new AtomicLong();
        AtomicReference<Throwable> readFailure = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("SET statement_timeout = '5s'");
                while (!Thread.currentThread().isInterrupted()) {
                    long t0 = System.nanoTime();
                    s.executeQuery("SELECT count(*) FROM users").close();
                    worstRead.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
                }
            } catch (Throwable t) {
                if (!Thread.currentThread().isInterrupted()) readFailure.set(t);
            }
        });
        List<String> retries = new CopyOnWriteArrayList<>();
        List<Migration> done = migrator.migrate(List.of(USERS), List.of(ADD_EMAIL), (m, attempt, backOff, why) -> {
            retries.add(m.name() + " attempt " + attempt + ": " + why);
            if (attempt == 2) {
                try {
                    holder.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        reader.interrupt();
        reader.join(10_000);
        holder.close();
        assertThat(done).containsExactly(ADD_EMAIL);
        assertThat(retries).hasSize(2).allMatch(r -> r.startsWith("V3__expand_add_email.sql attempt ")
                && r.endsWith("ERROR: canceling statement due to lock timeout"));
        assertThat(readFailure.get()).isNull();
        assertThat(worstRead.get()).as("longest read while the migration waited, ms").isLessThan(2_000);
    }

    /** Two daemons, or two services on one database: the second waits for the first's advisory lock, then runs. */
    @Test
    void migrationsOfOneDatabaseRunOneAtATime() throws Exception {
        Migrator migrator = new Migrator(db, 0, Duration.ZERO);
        migrator.migrate(List.of(), List.of(USERS), (m, a, b, w) -> {});
        try (Connection other = db.connect()) {
            other.createStatement().execute("SELECT pg_advisory_lock(" + Migrator.LOCK_KEY + ")");
            var run = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return migrator.migrate(List.of(USERS), List.of(ADD_EMAIL), (m, a, b, w) -> {});
                } catch (Migrator.MigrationFailed e) {
                    throw new IllegalStateException(e);
                }
            });
            org.awaitility.Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> !run.isDone() && !migrator.history().containsKey("3"));
            other.createStatement().execute("SELECT pg_advisory_unlock(" + Migrator.LOCK_KEY + ")");
            assertThat(run.get(30, java.util.concurrent.TimeUnit.SECONDS)).containsExactly(ADD_EMAIL);
        }
    }

    @Test
    void sessionsAreFoundByTheirApplicationName() throws Exception {
        Properties p = new Properties();
        p.setProperty("ApplicationName", "shop@abc123");
        try (Connection replica = DriverManager.getConnection(pg.url(), p)) {
            List<Migrator.Session> found = new Migrator(db, 0, Duration.ZERO).sessions("shop@");
            assertThat(found).extracting(Migrator.Session::applicationName).containsExactly("shop@abc123");
            assertThat(new Migrator(db, 0, Duration.ZERO).sessions("other@")).isEmpty();
        }
    }
}
