package dev.rollgate.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollgate.controller.RolloutStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code rollgate get}'s table: its columns as kubectl's, the ages kubectl prints, and the text the daemon sends it as. */
class ServiceTableTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    private static ServiceView service(String name, String version, int port, Instant created, String currentImage) {
        RolloutStatus status = new RolloutStatus(1, 3, version, 4, 4, 2, 3, 2, null, null, null, 2, 0, null, false, null);
        List<ServiceView.RevisionView> revisions = List.of(
                new ServiceView.RevisionView(2, "v1", "aaa", 2, 2, 2, 2, created, false, "old@sha256:1", null),
                new ServiceView.RevisionView(3, version, "bbb", 2, 2, 1, 0, created.plusSeconds(60), true, currentImage, null));
        return new ServiceView(name, 1, "Progressing", port, "RollingUpdate", 0, 600, false, status, revisions, List.of(), null, List.of());
    }

    @Test
    void aServiceIsOneLineInKubectlsColumnsAgedFromItsFirstRevision() {
        ServiceTable t = ServiceTable.of(List.of(service("web", "v2", 8080, NOW.minusSeconds(3 * 3600 + 5 * 60), null)), false, NOW);
        assertThat(t.header()).containsExactly("NAME", "REVISION", "VERSION", "READY", "UP-TO-DATE", "AVAILABLE", "PHASE", "PORT", "AGE");
        assertThat(t.rows()).containsExactly(List.of("web", "3", "v2", "3/4", "2", "2", "Progressing", "8080", "3h5m"));
    }

    @Test
    void wideAddsTheImageOfTheCurrentRevisionAndADashForAProcess() {
        ServiceTable t = ServiceTable.of(List.of(service("api", "v2", 0, NOW, "api@sha256:2"), service("worker", null, 0, NOW, null)), true, NOW);
        assertThat(t.header()).endsWith("AGE", "IMAGE");
        assertThat(t.rows().get(0)).containsExactly("api", "3", "v2", "3/4", "2", "2", "Progressing", "-", "0s", "api@sha256:2");
        assertThat(t.rows().get(1)).as("no version, no port, no image: dashes").containsExactly(
                "worker", "3", "-", "3/4", "2", "2", "Progressing", "-", "0s", "-");
    }

    @Test
    void agesReadAsKubectlsAndAreNeverNegative() {
        assertThat(Age.of(NOW.minusSeconds(45), NOW)).isEqualTo("45s");
        assertThat(Age.of(NOW.minusSeconds(119), NOW)).isEqualTo("119s");
        assertThat(Age.of(NOW.minusSeconds(192), NOW)).isEqualTo("3m12s");
        assertThat(Age.of(NOW.minusSeconds(600), NOW)).isEqualTo("10m");
        assertThat(Age.of(NOW.minusSeconds(7200), NOW)).isEqualTo("2h");
        assertThat(Age.of(NOW.minusSeconds(3 * 86400 + 7), NOW)).isEqualTo("3d");
        assertThat(Age.of(NOW.plusSeconds(5), NOW)).as("a clock a little ahead").isEqualTo("0s");
        assertThat(Age.of(null, NOW)).isEqualTo("-");
    }

    @Test
    void theTableTravelsAsTabSeparatedLinesAndComesBackTheSame() {
        ServiceTable t = ServiceTable.of(List.of(service("web", "v2", 8080, NOW, null), service("api", "v\t3\nbeta", 0, NOW, null)), true, NOW);
        String tsv = t.tsv();
        assertThat(tsv.lines()).hasSize(3).allSatisfy(l -> assertThat(l.split("\t")).hasSize(10));
        ServiceTable back = ServiceTable.parse(tsv);
        assertThat(back.header()).isEqualTo(t.header());
        assertThat(back.rows().get(0)).isEqualTo(t.rows().get(0));
        assertThat(back.rows().get(1).get(2)).as("a tab or line break in a cell becomes a space").isEqualTo("v 3 beta");
        assertThat(ServiceTable.parse(ServiceTable.of(List.of(), false, NOW).tsv()).rows()).isEmpty();
    }

    @Test
    void whatIsNotATableIsRefusedWithWhy() {
        assertThatThrownBy(() -> ServiceTable.parse("")).isInstanceOf(IllegalArgumentException.class).hasMessage("no header line");
        assertThatThrownBy(() -> ServiceTable.parse("NAME\tAGE\nweb\t3s\textra\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("line 2 has 3 cells, the header 2");
    }
}
