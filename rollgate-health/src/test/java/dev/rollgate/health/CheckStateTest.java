package dev.rollgate.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CheckStateTest {

    /**
     * Runs as letters (U up, D down), one per second of virtual time; expected effective status
     * after each as letters too, '-' for "no verdict yet".
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "first success is UP,                    1, 0,  1, U,        U",
            "first failure is DOWN,                  1, 0,  1, D,        D",
            "failures must be consecutive,           3, 0,  1, UDDUDD,   UUUUUU",
            "third failure in a row,                 3, 0,  1, UDDD,     UUUD",
            "no verdict before the threshold,        3, 0,  1, DDD,      --D",
            "successes in a row (from the start too), 1, 0,  2, UDUDUU,   -DDDDU",
            "time in error too (broken pool case),   2, 5,  1, UDDDDDDD, UUUUUUDD",
            "both conditions: count and time,        5, 2,  1, UDDDDD,   UUUUUD"})
    void thresholdsCountConsecutiveRunsAndTimeInError(String name, int failures, int secondsInError, int successes,
                                                     String runs, String expected) {
        CheckOptions options = CheckOptions.readiness().downAfter(failures, Duration.ofSeconds(secondsInError)).upAfter(successes);
        CheckState state = CheckState.NOT_RUN;
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        StringBuilder seen = new StringBuilder();
        for (char c : runs.toCharArray()) {
            state = state.observe(c == 'U' ? CheckResult.up() : CheckResult.down("x"), t, Duration.ofMillis(3), options);
            seen.append(state.effective() == null ? '-' : state.effective() == Status.UP ? 'U' : 'D');
            t = t.plusSeconds(1);
        }
        assertThat(seen.toString()).isEqualTo(expected);
    }
}
