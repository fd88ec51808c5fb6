package dev.rollgate.local.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GracePeriodTest {

    @ParameterizedTest(name = "grace {0}s, preStop took {1}ms -> SIGKILL {2}ms after SIGTERM")
    @CsvSource({
            "30, 0, 30000",      // no preStop: the whole grace period
            "30, 5000, 25000",   // preStop time counts against the grace period
            "30, 29000, 2000",   // never less than 2 s
            "30, 30000, 2000",   // preStop ran out the period: the one-off 2 s extension
            "1, 0, 2000",        // the kubelet's minimum applies to short periods too
            "0, 0, 0"})          // 0 means kill at once
    void sigkillDelayAfterPreStop(long graceSeconds, long preStopMillis, long expectedMillis) {
        assertThat(GracePeriod.afterPreStop(Duration.ofSeconds(graceSeconds), Duration.ofMillis(preStopMillis)))
                .isEqualTo(Duration.ofMillis(expectedMillis));
    }
}
