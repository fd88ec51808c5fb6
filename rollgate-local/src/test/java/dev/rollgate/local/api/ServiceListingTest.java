package dev.rollgate.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What {@code rollgate get}'s table cannot show, said beside it. */
class ServiceListingTest {

    @Test
    void aDataPlaneThatStoppedAnsweringIsNamedWithHowToWakeIt() {
        assertThat(ServiceListing.warning(321, null)).isEmpty();
        assertThat(ServiceListing.warning(321, Instant.parse("2026-12-06T10:00:00Z"))).contains(
                "the data plane (pid 321) has not answered the daemon since 2026-12-06T10:00:00Z; the ports above may serve nothing"
                        + " (stopped? kill -CONT 321)");
    }
}
