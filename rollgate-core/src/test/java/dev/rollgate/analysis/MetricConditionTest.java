package dev.rollgate.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionTest {

    @Test
    void evaluatesArgoStyleConditionsOverNumbersListsAndObjects() {
        assertThat(MetricCondition.of("result >= 0.95").test(0.97)).isTrue();
        assertThat(MetricCondition.of("result >= 0.95").test(0.9)).isFalse();
        assertThat(MetricCondition.of("result[0] < 0.5 && len(result) == 2").test(List.of(0.2, 9.0))).isTrue();
        assertThat(MetricCondition.of("len(result) == 0 || result[0] > 1").test(List.of())).isTrue();
        assertThat(MetricCondition.of("result.ok and result.rate < 0.5").test(Map.of("ok", true, "rate", 0.3))).isTrue();
        assertThat(MetricCondition.of("isNaN(result)").test(Double.NaN)).isTrue();
        assertThat(MetricCondition.of("default(result, 0) < 1").test(Double.NaN)).isTrue();
        assertThat(MetricCondition.of("result == 'Pass'").test("Pass")).isTrue();
    }

    @Test
    void badExpressionsAndResultsAreNamedNotThrownAsSomethingElse() {
        assertThatThrownBy(() -> MetricCondition.of("result >= ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a valid expression");
        assertThatThrownBy(() -> MetricCondition.of("other > 1").test(1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("other");
        assertThatThrownBy(() -> MetricCondition.of("result + 1").test(1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not true or false");
    }
}
