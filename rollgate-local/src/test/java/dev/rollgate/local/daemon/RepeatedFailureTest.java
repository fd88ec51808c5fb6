package dev.rollgate.local.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RepeatedFailureTest {

    private static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");

    @Test
    void theSameFailureIsSaidOnceAndRetriedAfterWaitsThatDoubleUpToTheMaximum() {
        RepeatedFailure f = new RepeatedFailure(Duration.ofSeconds(2), Duration.ofSeconds(10));
        Instant now = T0;
        assertThat(f.due(now)).isTrue();
        assertThat(f.failed("V1 was edited", now)).hasValue("V1 was edited");
        long[] waits = new long[5];
        for (int i = 0; i < 5; i++) {
            Instant failedAt = now;
            while (!f.due(now)) now = now.plusSeconds(1);
            waits[i] = Duration.between(failedAt, now).toSeconds();
            assertThat(f.failed("V1 was edited", now)).as("said already").isEmpty();
        }
        assertThat(waits).containsExactly(2, 4, 8, 10, 10);
    }

    @Test
    void otherWordsAreSaidAndASuccessStartsOver() {
        RepeatedFailure f = new RepeatedFailure(Duration.ofSeconds(2), Duration.ofSeconds(10));
        assertThat(f.failed("cannot reach the database", T0)).isPresent();
        assertThat(f.failed("V1 was edited", T0.plusSeconds(2))).hasValue("V1 was edited");
        f.succeeded();
        assertThat(f.due(T0.plusSeconds(2))).isTrue();
        assertThat(f.failed("V1 was edited", T0.plusSeconds(3))).as("a new run of failures is said again").hasValue("V1 was edited");
        assertThat(f.due(T0.plusSeconds(4))).isFalse();
        assertThat(f.due(T0.plusSeconds(5))).as("and its wait starts from the first again").isTrue();
    }
}
