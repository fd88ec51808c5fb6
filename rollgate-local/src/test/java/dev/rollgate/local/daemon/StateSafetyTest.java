package dev.rollgate.local.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rollgate.local.store.DaemonFiles;
import dev.rollgate.view.HistoryEntry;
import dev.rollgate.view.ServiceView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the daemon does when its state store fails or is lost, and who may read the state directory. */
class StateSafetyTest {

    @TempDir
    Path dir;

    private Daemon daemon;

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) daemon.shutdown().get();
    }

    private static String spec(String version) {
        return Specs.rollout("web", 0, 0, version, "");
    }

    @Test
    void anApplyTheStoreRefusesChangesNothingLater() throws Exception {
        daemon = Daemon.open(dir.resolve("state"), 0);
        daemon.apply(spec("v1"), dir.toString(), "web.yaml");
        await().atMost(Duration.ofSeconds(20)).until(() -> "v1".equals(daemon.describe("web").status().version()));
        long generation = daemon.describe("web").generation();

        // Another process holds the store's write lock: the daemon's write fails after its busy timeout, as on a full disk.
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + DaemonFiles.database(dir.resolve("state")));
             Statement s = other.createStatement()) {
            s.execute("PRAGMA busy_timeout=0");
            s.execute("BEGIN EXCLUSIVE");
            assertThatThrownBy(() -> daemon.apply(spec("v2"), dir.toString(), "web.yaml")).isInstanceOf(SQLException.class);
            s.execute("ROLLBACK");
        }
        // Once the store takes writes again, the refused v2 must not roll out by itself.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> {
            ServiceView v = daemon.describe("web");
            return "v1".equals(v.status().version()) && v.generation() == generation && v.revisions().size() == 1;
        });
        assertThat(daemon.history("web")).extracting(HistoryEntry::version).containsExactly("v1");

        assertThat(daemon.apply(spec("v2"), dir.toString(), "web.yaml")).extracting(Applier.Applied::result).containsExactly("configured");
        await().atMost(Duration.ofSeconds(20)).until(() -> "v2".equals(daemon.describe("web").status().version()));
    }

    @Test
    void aUsedStateDirectoryWithAnEmptyStoreIsRefusedNamingTheFile() throws Exception {
        Path state = dir.resolve("state");
        daemon = Daemon.open(state, 0);
        daemon.apply(spec("v1"), dir.toString(), "web.yaml");
        daemon.shutdown().get();
        daemon = null;

        Path db = DaemonFiles.database(state);
        Files.write(db, new byte[0]);
        Files.deleteIfExists(state.resolve("state.db-wal"));
        assertThatThrownBy(() -> Daemon.open(state, 0)).isInstanceOf(IOException.class)
                .hasMessageContaining("the state store " + db + " is empty").hasMessageContaining("refusing to start");
        Files.delete(db);
        assertThatThrownBy(() -> Daemon.open(state, 0)).hasMessageContaining(db + " is missing");
        Files.writeString(db, "this is not a database, it is a note an admin left here".repeat(100));
        assertThatThrownBy(() -> Daemon.open(state, 0)).isInstanceOf(IOException.class)
                .hasMessageContaining("the state store " + db + " cannot be opened");
        assertThat(Files.exists(DaemonFiles.addressFile(state))).as("no daemon came up").isFalse();

        // A directory never used before starts empty, as it always did.
        daemon = Daemon.open(dir.resolve("fresh"), 0);
        assertThat(daemon.list()).isEmpty();
    }

    @Test
    void theStateDirectoryIsItsOwnersOnlyWhateverTheUmask() throws Exception {
        Path state = dir.resolve("state");
        Files.createDirectories(state, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        daemon = Daemon.open(state, 0);
        daemon.apply(Specs.rollout("web", 1, 0, "v1", "", "--startup-delay", "0s")
                .replace("template:\n", "template:\n    env: {API_KEY: s3cret}\n"), dir.toString(), "web.yaml");
        await().atMost(Duration.ofSeconds(60)).until(() -> daemon.describe("web").status().available() == 1);
        Files.setPosixFilePermissions(state.resolve("state.db"), PosixFilePermissions.fromString("rw-r--r--"));
        daemon.shutdown().get();
        daemon = Daemon.open(state, 0);   // a second start narrows what an older version left

        Set<PosixFilePermission> groupOrOthers = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_EXECUTE);
        List<Path> all;
        try (Stream<Path> files = Files.walk(state)) {
            all = files.toList();
        }
        assertThat(all).extracting(p -> state.relativize(p).toString())
                .contains("", "token", "state.db", "state.db-wal", "logs", "logs/web");
        assertThat(all.stream().filter(p -> p.toString().endsWith(".log") && p.getParent().getFileName().toString().equals("web"))).isNotEmpty();
        for (Path p : all) {
            assertThat(Files.getPosixFilePermissions(p)).as(state.relativize(p) + " is " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
                    .doesNotContainAnyElementsOf(groupOrOthers);
        }
    }
}
