package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What each phase of an exchange allows: a retry only before any answer went out, a silent replica timed out only while awaited. */
class ExchangePhaseTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "BUFFERING,  false, false, true",
            "CONNECTING, false, false, true",
            "SENT,       true,  false, true",
            "RESPONDING, true,  true,  true",
            "SWITCHING,  true,  true,  false",
            "FINISHED,   false, false, false",
    })
    void whatEachPhaseAllows(ExchangePhase phase, boolean headSent, boolean responseStarted, boolean awaitsUpstream) {
        assertThat(phase.headSent()).isEqualTo(headSent);
        assertThat(phase.responseStarted()).isEqualTo(responseStarted);
        assertThat(phase.awaitsUpstream()).isEqualTo(awaitsUpstream);
    }
}
