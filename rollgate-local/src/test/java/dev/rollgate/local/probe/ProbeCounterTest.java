package dev.rollgate.local.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.local.probe.ProbeResult.Outcome;
import dev.rollgate.spec.Handler;
import dev.rollgate.spec.Probe;
import dev.rollgate.spec.ProbeKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProbeCounterTest {

    /** Outcomes as letters (S success, F failure, U unknown); expected cached value after each, as letters too. */
    @ParameterizedTest(name = "{0}: {1}/{2} thresholds, {3} -> {4}")
    @CsvSource({
            "readiness starts failed,          READINESS, 1, 3, '',      ''",
            "one success makes ready,          READINESS, 1, 3, S,       S",
            "successThreshold 2 needs two,     READINESS, 2, 3, SS,      FS",
            "a failure breaks the success run, READINESS, 2, 3, SFS,     FFF",
            "three failures in a row,          READINESS, 1, 3, SFFF,    SSSF",
            "failures not in a row do not add, READINESS, 1, 3, SFFSFF,  SSSSSS",
            "unknown is discarded,             READINESS, 1, 3, SFUFUF,  SSSSSF",
            "liveness starts healthy,          LIVENESS,  1, 3, FF,      SS",
            "liveness fails on the third,      LIVENESS,  1, 3, FFF,     SSF",
            "startup starts unknown,           STARTUP,   1, 30, FFS,    UUS"})
    void cachedResultChangesOnlyAfterThresholdInARow(String name, ProbeKind kind, int success, int failure, String outcomes, String expected) {
        Probe probe = new Probe(new Handler.TcpSocket(null, "127.0.0.1"), 0, 1, 1, success, failure, null);
        ProbeCounter counter = ProbeCounter.initial(kind);
        StringBuilder seen = new StringBuilder();
        for (char c : outcomes.toCharArray()) {
            counter = counter.observe(outcome(c), probe);
            seen.append(counter.cached().name().charAt(0));
        }
        assertThat(seen.toString()).isEqualTo(expected);
        if (outcomes.isEmpty()) {
            assertThat(counter.cached()).isEqualTo(kind == ProbeKind.READINESS ? Outcome.FAILURE : Outcome.SUCCESS);
        }
    }

    private static Outcome outcome(char c) {
        return switch (c) {
            case 'S' -> Outcome.SUCCESS;
            case 'F' -> Outcome.FAILURE;
            default -> Outcome.UNKNOWN;
        };
    }
}
