package dev.rollgate.local.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CrashLoopBackOffTest {

    @ParameterizedTest(name = "restart {0} waits {1}s")
    @CsvSource({"1, 0", "2, 10", "3, 20", "4, 40", "5, 80", "6, 160", "7, 300", "8, 300", "40, 300"})
    void kubeletSequenceDoublesFrom10sUpTo300s(int step, long seconds) {
        assertThat(CrashLoopBackOff.KUBELET.delay(step)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest(name = "after step {0} and a run of {1}s the next step is {2}")
    @CsvSource({"1, 5, 2", "5, 599, 6", "5, 600, 1", "6, 3600, 1"})
    void resetsAfterTenMinutesOfRunning(int previous, long ranSeconds, int next) {
        assertThat(CrashLoopBackOff.KUBELET.nextStep(previous, Duration.ofSeconds(ranSeconds))).isEqualTo(next);
    }

    @Test
    void aShorterPolicyForTestsKeepsTheShape() {
        var fast = new CrashLoopBackOff(Duration.ofMillis(200), Duration.ofMillis(800), Duration.ofSeconds(5));
        assertThat(fast.delay(1)).isZero();
        assertThat(fast.delay(2)).hasMillis(200);
        assertThat(fast.delay(3)).hasMillis(400);
        assertThat(fast.delay(4)).hasMillis(800);
        assertThat(fast.delay(5)).hasMillis(800);
    }
}
