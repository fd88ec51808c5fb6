package dev.rollgate.local.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rollgate.local.ApiException;
import dev.rollgate.migrate.Migrator;
import dev.rollgate.migrate.ThrowawayPostgres;
import dev.rollgate.view.EventRow;
import dev.rollgate.view.MigrationsView;
import dev.rollgate.view.ServiceView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's migration gate on a real PostgreSQL, with the lightest replicas there are (sleep):
 * an expand migration that fails stops the rollout before any replica of the new revision starts,
 * and an unsafe expand migration is refused at apply, before anything runs.
 */
class MigrationGateTest {

    private static ThrowawayPostgres pg;

    @TempDir
    Path dir;

    private Daemon daemon;
    private final List<Long> pids = new ArrayList<>();

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = ThrowawayPostgres.start(Files.createTempDirectory(Path.of("/tmp"), "rollgate-pg-"));
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (pg != null) pg.close();
    }

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) daemon.shutdown().get();
    }

    private String spec(String sleepSeconds) {
        return """
                apiVersion: rollgate.dev/v1alpha1
                kind: Rollout
                metadata: {name: shop}
                spec:
                  replicas: 2
                  progressDeadlineSeconds: 60
                  database: {url: '%s', migrations: db, lockTimeout: 1s}
                  template: {command: [sleep, '%s']}
                """.formatted(pg.url(), sleepSeconds);
    }

    private void write(String name, String sql) throws Exception {
        Files.createDirectories(dir.resolve("db"));
        Files.writeString(dir.resolve("db").resolve(name), sql);
    }

    /** Revision 1 of shop, Complete, on an emptied database where it created the users table (V1). */
    private void completeOnAnEmptyDatabaseWithV1() throws Exception {
        try (var c = pg.database(Duration.ofSeconds(1)).connect()) {
            c.createStatement().execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        }
        daemon = Daemon.open(dir.resolve("state"), 0);
        write("V1__expand_create_users.sql", "CREATE TABLE users (id bigserial PRIMARY KEY, name text);");
        daemon.apply(spec("600"), dir.toString(), "v1.yaml");
        DaemonAwait.phase(daemon, "shop", "Complete", pids);
    }

    @Test
    void aFailedExpandStopsTheRolloutBeforeAnyReplicaOfTheNewRevisionStarts() throws Exception {
        completeOnAnEmptyDatabaseWithV1();
        String v1 = daemon.describe("shop").revisions().getFirst().hash();

        write("V2__expand_typo.sql", "ALTER TABLE userz ADD COLUMN email text;");
        daemon.apply(spec("601"), dir.toString(), "v2.yaml");
        ServiceView back = DaemonAwait.phase(daemon, "shop", "RolledBack", pids);

        List<EventRow> events = daemon.events("shop", 0, 1000);
        assertThat(events).anyMatch(e -> e.reason().equals("MigrationFailed")
                && e.message().equals("V2__expand_typo.sql failed: ERROR: relation \"userz\" does not exist (SQL state 42P01)"));
        assertThat(events).anyMatch(e -> e.reason().equals("RolloutAborted") && e.message().startsWith("revision 2: its expand migrations failed")
                && e.message().endsWith("rolling back to revision 1"));
        assertThat(events.stream().filter(e -> e.reason().equals("Started")).map(EventRow::object))
                .as("every replica ever started is of revision 1").isNotEmpty().allMatch(id -> id.startsWith("shop-" + v1.substring(0, 6) + "-"));
        assertThat(back.replicas()).hasSize(2);
        assertThat(new Migrator(pg.database(Duration.ofSeconds(1)), 0, Duration.ZERO).history()).containsOnlyKeys("1");
        assertThat(back.migrations().migrations()).extracting(MigrationsView.Migration::file, MigrationsView.Migration::state)
                .contains(org.assertj.core.api.Assertions.tuple("V1__expand_create_users.sql", "applied"));
    }

    @Test
    void aMigrationEditedAfterItRanIsNamedOnceByItsFile() throws Exception {
        completeOnAnEmptyDatabaseWithV1();
        // Edited in place after it ran, with a new expand beside it for the gate's next tick to run.
        write("V1__expand_create_users.sql", "CREATE TABLE users (id bigserial PRIMARY KEY, name text, email text);");
        write("V2__expand_add_phone.sql", "ALTER TABLE users ADD COLUMN phone text;");
        await().atMost(Duration.ofSeconds(30)).until(() -> daemon.events("shop", 0, 1000).stream().anyMatch(e -> e.reason().equals("MigrationFailed")));
        List<EventRow> failed = daemon.events("shop", 0, 1000).stream().filter(e -> e.reason().equals("MigrationFailed")).toList();
        assertThat(failed).singleElement().extracting(EventRow::message).asString()
                .startsWith("V1__expand_create_users.sql failed: was edited after it ran");
        assertThat(new Migrator(pg.database(Duration.ofSeconds(1)), 0, Duration.ZERO).history()).as("V2 waits for V1 to be put back")
                .containsOnlyKeys("1");
    }

    @Test
    void anExpandMigrationTheOldVersionCannotLiveWithIsRefusedAtApplyAndNothingIsStored() throws Exception {
        daemon = Daemon.open(dir.resolve("state"), 0);
        write("V1__expand_create_users.sql", "CREATE TABLE users (id bigserial PRIMARY KEY, name text);");
        write("V2__expand_drop_name.sql", "SET lock_timeout = '1s';\nALTER TABLE users DROP COLUMN name;");
        assertThatThrownBy(() -> daemon.apply(spec("600"), dir.toString(), "v1.yaml")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.getMessage()).isEqualTo("v1.yaml: shop: the migrations are refused before anything runs; nothing was applied");
            assertThat(e.details()).singleElement().asString()
                    .startsWith(dir.resolve("db/V2__expand_drop_name.sql") + ":2: drop-column: an expand migration drops a column of users");
        });
        assertThat(daemon.list()).isEmpty();
    }
}
