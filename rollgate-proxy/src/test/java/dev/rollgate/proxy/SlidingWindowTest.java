package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** One-second buckets read back per second, as the dashboard's charts plot them. */
class SlidingWindowTest {

    private static final long T = 1_800_000_000L; // an epoch second

    @Test
    void eachClosedSecondIsReadBackWithItsCountsAndPercentiles() {
        SlidingWindow w = new SlidingWindow();
        for (int i = 1; i <= 100; i++) w.record(200, i * 1000L); // 1..100 ms
        w.record(503, 5_000);
        w.socketError();
        w.tick(T);
        // A second with no traffic, then one with two answers.
        w.tick(T + 1);
        w.record(200, 2_000);
        w.record(200, 4_000);
        w.tick(T + 2);

        List<SecondStats> series = w.perSecond(10, T + 3);
        assertThat(series).extracting(SecondStats::epochSecond).containsExactly(T, T + 2);
        SecondStats first = series.getFirst();
        assertThat(first.responses()).isEqualTo(101);
        assertThat(first.serverErrors()).isEqualTo(1);
        assertThat(first.socketErrors()).isEqualTo(1);
        assertThat(first.errorRate()).isCloseTo(2.0 / 102, within(1e-9));
        assertThat(first.p50()).isCloseTo(50, within(1.0));
        assertThat(first.p99()).isCloseTo(99, within(1.5));
        assertThat(series.get(1).responses()).isEqualTo(2);
        assertThat(series.get(1).errorRate()).isZero();
    }

    @Test
    void secondsOutsideTheWindowOrOverwrittenAreLeftOut() {
        SlidingWindow w = new SlidingWindow();
        w.record(200, 1_000);
        w.tick(T);
        assertThat(w.perSecond(1, T + 1)).hasSize(1);
        assertThat(w.perSecond(1, T + 2)).as("older than the window").isEmpty();
        // 300 s later the same bucket holds another second: the old one is not read back as new.
        w.tick(T + SlidingWindow.SECONDS);
        assertThat(w.perSecond(SlidingWindow.SECONDS, T + SlidingWindow.SECONDS + 1)).isEmpty();
    }
}
