package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Whether a request goes on now: memory first, then the service's maintenance mode. */
class TrafficGateTest {

    @Test
    void aServedServiceLetsRequestsThrough() {
        assertThat(TrafficGate.at(false, TrafficMode.SERVE)).isEqualTo(TrafficGate.OPEN);
    }

    @Test
    void aStoppedServiceRefusesWithItsPageAndWhenToComeBack() {
        assertThat(TrafficGate.at(false, TrafficMode.stop("back at noon", 600))).isEqualTo(new TrafficGate.Refuse("back at noon", "600"));
        assertThat(TrafficGate.at(false, TrafficMode.stop(null, 30))).isEqualTo(new TrafficGate.Refuse("the service is stopped for maintenance", "30"));
    }

    @Test
    void aPausedServiceHoldsForItsLimitAndThirtySecondsWhenNoneWasSaid() {
        assertThat(TrafficGate.at(false, TrafficMode.pause(100, 5))).isEqualTo(new TrafficGate.Hold(5));
        assertThat(TrafficGate.at(false, TrafficMode.pause(100, 0))).isEqualTo(new TrafficGate.Hold(TrafficMode.DEFAULT_MAX_PAUSE_SECONDS));
        assertThat(TrafficGate.outstayed(5)).isEqualTo("the service stayed paused longer than 5 s");
    }

    @Test
    void aProxyShortOfMemoryRefusesWhateverTheMode() {
        var refused = new TrafficGate.Refuse("the proxy is short of memory; try again in a moment", "1");
        assertThat(TrafficGate.at(true, TrafficMode.SERVE)).isEqualTo(refused);
        assertThat(TrafficGate.at(true, TrafficMode.pause(10, 5))).isEqualTo(refused);
        assertThat(TrafficGate.at(true, TrafficMode.stop("page", 60))).isEqualTo(refused);
    }
}
