package dev.rollgate.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValuesTest {

    @ParameterizedTest(name = "{0} of {1}, roundUp={2} -> {3}")
    @CsvSource({
            "25%, 4, true, 1", "25%, 4, false, 1", "25%, 10, true, 3", "25%, 10, false, 2",
            "30%, 5, true, 2", "30%, 5, false, 1", "100%, 3, false, 3", "0%, 9, true, 0", "3, 10, true, 3"})
    void scaledValueRoundsAsKubernetes(String value, int total, boolean roundUp, int expected) {
        IntOrPercent v = value.endsWith("%")
                ? IntOrPercent.percent(Integer.parseInt(value.substring(0, value.length() - 1)))
                : IntOrPercent.of(Integer.parseInt(value));
        assertThat(v.scaledValue(total, roundUp)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1} ms")
    @CsvSource({"30s, 30000", "2m, 120000", "1h30m, 5400000", "500ms, 500", "45, 45000", "1m5s250ms, 65250"})
    void durationsParse(String text, long millis) {
        assertThat(Durations.parse(text)).contains(Duration.ofMillis(millis));
        assertThat(Durations.parse(Durations.format(Duration.ofMillis(millis)))).contains(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource({"'', ", "1.5s", "s", "-3s", "10d", "5 m"})
    void badDurationsDoNot(String text) {
        assertThat(Durations.parse(text == null ? "" : text)).isEmpty();
    }

    @Test
    void didYouMeanFindsCloseNamesOnly() {
        var known = SpecSchema.SPEC.fieldNames();
        assertThat(DidYouMean.closest("replica", known)).contains("replicas");
        assertThat(DidYouMean.closest("ProgressDeadlineSeconds", known)).contains("progressDeadlineSeconds");
        assertThat(DidYouMean.closest("templtae", known)).contains("template");
        assertThat(DidYouMean.closest("zzz", known)).isEmpty();
    }
}
