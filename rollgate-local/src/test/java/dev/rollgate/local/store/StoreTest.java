package dev.rollgate.local.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollgate.view.EventRow;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {

    @TempDir
    Path dir;

    @Test
    void whatIsWrittenIsReadBackByTheNextOpen() throws Exception {
        Path db = dir.resolve("state.db");
        Instant t = Instant.parse("2026-11-22T01:00:00Z");
        try (Store s = new Store(db)) {
            s.putService(new Store.ServiceRow("web", 1, "{}", "{}", "/base", ""));
            s.putRevision(new Store.RevisionRow("web", "aaa", 1, "{}", 4, t, 4, 5));
            s.putRevision(new Store.RevisionRow("web", "bbb", 2, "{}", 1, t, 4, 5));
            s.putRevision(new Store.RevisionRow("web", "aaa", 3, "{}", 3, t, 6, 8)); // re-adopted: same hash, new number
            s.putReplica(new Store.ReplicaRow("web-aaa-1", "web", "aaa", 42, 1234, 8081, t));
            s.addEvent("web", t, "Normal", "RolloutStarted", "web", "one");
            s.addEvent("web", t, "Warning", "RolloutAborted", "web", "two");
            s.addEvent("db", t, "Normal", "Applied", "db", "other service");
        }
        try (Store s = new Store(db)) {
            assertThat(s.services()).extracting(Store.ServiceRow::name).containsExactly("web");
            assertThat(s.revisions("web")).extracting(Store.RevisionRow::hash, Store.RevisionRow::number, Store.RevisionRow::replicas)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("bbb", 2, 1), org.assertj.core.groups.Tuple.tuple("aaa", 3, 3));
            assertThat(s.revisions("web").getLast()).extracting(Store.RevisionRow::desiredFor, Store.RevisionRow::maxFor).containsExactly(6, 8);
            assertThat(s.replicas("web")).singleElement().satisfies(r -> {
                assertThat(r.pid()).isEqualTo(42);
                assertThat(r.startTicks()).isEqualTo(1234);
                assertThat(r.port()).isEqualTo(8081);
            });
            var events = s.events("web", 0, 10);
            assertThat(events).extracting(EventRow::reason).containsExactly("RolloutStarted", "RolloutAborted");
            assertThat(s.events("web", events.getFirst().id(), 10)).extracting(EventRow::reason).containsExactly("RolloutAborted");
            assertThat(s.events(null, 0, 2)).extracting(EventRow::reason).containsExactly("RolloutAborted", "Applied");
            s.deleteService("web");
            assertThat(s.services()).isEmpty();
            assertThat(s.revisions("web")).isEmpty();
            assertThat(s.events("web", 0, 10)).hasSize(2); // events outlive the service
        }
    }

    @Test
    void theDatabaseIsInWalModeWithFullSync() throws Exception {
        Path db = dir.resolve("state.db");
        try (Store s = new Store(db); var c = DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement();
             var rs = st.executeQuery("PRAGMA journal_mode")) {
            assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
        }
    }

    @Test
    void aNewerSchemaIsRefusedWithWords() throws Exception {
        Path db = dir.resolve("state.db");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
            st.execute("PRAGMA user_version=99");
        }
        assertThatThrownBy(() -> new Store(db)).hasMessageContaining("newer Rollgate").hasMessageContaining("99");
    }
}
