package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rules of passive health, as numbers: how long an ejection lasts, how many of a revision may be out, when one happens. */
class OutlierDetectionTest {

    private static final OutlierDetection D = OutlierDetection.DEFAULT;

    @ParameterizedTest(name = "ejection {0} lasts {1} s")
    @CsvSource({"1, 30", "2, 60", "3, 90", "10, 300", "11, 300"})
    void eachEjectionLastsTheBaseTimeMoreUpToTheMax(int number, long seconds) {
        assertThat(D.ejectionTime(number)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest(name = "{0}% of {1}: at most {2} out")
    @CsvSource({
            "50, 1, 0",
            "50, 2, 1",
            "50, 3, 1",
            "50, 4, 2",
            "50, 10, 5",
            "10, 3, 1",
            "10, 30, 3",
            "100, 4, 3",
            "0, 5, 1",
    })
    void aRevisionKeepsItsShareInRoutingAndNeverLosesItsLastReplica(int percent, int replicas, int out) {
        var d = new OutlierDetection(5, Duration.ofSeconds(30), Duration.ofSeconds(300), percent);
        assertThat(d.maxEjected(replicas)).isEqualTo(out);
    }

    @ParameterizedTest(name = "{0} in a row, {2} of {1} out: {3}")
    @CsvSource({
            "4, 3, 0, false",
            "5, 3, 0, true",
            "9, 3, 0, true",
            "5, 3, 1, false",
            "5, 1, 0, false",
            "5, 4, 1, true",
    })
    void aReplicaIsEjectedAtTheThresholdWhileItsRevisionHasRoom(int inARow, int replicas, int ejectedNow, boolean ejected) {
        assertThat(D.ejects(inARow, replicas, ejectedNow)).isEqualTo(ejected);
    }

    @Test
    void offNeverEjectsAndTheCountStartsOverAfterALongGoodSpell() {
        assertThat(OutlierDetection.OFF.ejects(1000, 10, 0)).isFalse();
        assertThat(OutlierDetection.OFF.enabled()).isFalse();
        assertThat(D.nextNumber(0, null)).as("never ejected").isEqualTo(1);
        assertThat(D.nextNumber(2, Duration.ofSeconds(10))).as("back 10 s ago").isEqualTo(3);
        assertThat(D.nextNumber(2, Duration.ofSeconds(300))).as("back for the max ejection time").isEqualTo(1);
    }
}
