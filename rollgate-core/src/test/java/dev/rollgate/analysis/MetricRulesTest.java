package dev.rollgate.analysis;

import static dev.rollgate.analysis.AnalysisPhase.ERROR;
import static dev.rollgate.analysis.AnalysisPhase.FAILED;
import static dev.rollgate.analysis.AnalysisPhase.INCONCLUSIVE;
import static dev.rollgate.analysis.AnalysisPhase.PENDING;
import static dev.rollgate.analysis.AnalysisPhase.RUNNING;
import static dev.rollgate.analysis.AnalysisPhase.SUCCESSFUL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.spec.AnalysisTemplate.Metric;
import dev.rollgate.spec.AnalysisTemplate.Provider;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Argo Rollouts' measurement, metric and run rules (analysis/analysis.go, utils/analysis/helpers.go). */
class MetricRulesTest {

    private static Metric metric(Integer count, Duration interval, int failureLimit, int inconclusiveLimit, int consecutiveErrorLimit,
                                 int consecutiveSuccessLimit) {
        return new Metric("m", interval, null, count, "result > 1", null, failureLimit, inconclusiveLimit, consecutiveErrorLimit,
                consecutiveSuccessLimit, new Provider.Job(List.of("true"), 10));
    }

    private static MetricResult result(AnalysisPhase... phases) {
        MetricResult r = MetricResult.empty("m", false);
        for (AnalysisPhase p : phases) r = r.plus(new MetricResult.Measurement(p, 1.0, "", Instant.EPOCH));
        return r;
    }

    @Test
    void measurementOutcomeFollowsBothConditions() {
        assertThat(MetricRules.evaluate("result > 1", null, 2.0)).isEqualTo(SUCCESSFUL);
        assertThat(MetricRules.evaluate("result > 1", null, 0.5)).isEqualTo(FAILED);
        assertThat(MetricRules.evaluate(null, "result > 1", 0.5)).isEqualTo(SUCCESSFUL);
        assertThat(MetricRules.evaluate(null, "result > 1", 2.0)).isEqualTo(FAILED);
        assertThat(MetricRules.evaluate("result > 10", "result < 1", 5.0)).isEqualTo(INCONCLUSIVE);
        assertThat(MetricRules.evaluate("result > 10", "result < 1", 0.0)).isEqualTo(FAILED);
        assertThat(MetricRules.evaluate(null, null, 0.0)).isEqualTo(SUCCESSFUL);
    }

    @Test
    void metricStatusFollowsLimitsAndCount() {
        Duration i = Duration.ofSeconds(1);
        assertThat(MetricRules.assess(metric(3, i, 0, 0, 4, 0), result(), false)).isEqualTo(PENDING);
        assertThat(MetricRules.assess(metric(3, i, 0, 0, 4, 0), result(), true)).isEqualTo(SUCCESSFUL);
        assertThat(MetricRules.assess(metric(3, i, 0, 0, 4, 0), result(SUCCESSFUL), false)).isEqualTo(RUNNING);
        assertThat(MetricRules.assess(metric(3, i, 0, 0, 4, 0), result(SUCCESSFUL, SUCCESSFUL, SUCCESSFUL), false)).isEqualTo(SUCCESSFUL);
        assertThat(MetricRules.assess(metric(3, i, 0, 0, 4, 0), result(SUCCESSFUL, FAILED), false)).isEqualTo(FAILED);
        assertThat(MetricRules.assess(metric(3, i, 1, 0, 4, 0), result(SUCCESSFUL, FAILED), false)).isEqualTo(RUNNING);
        assertThat(MetricRules.assess(metric(3, i, -1, 0, 4, 0), result(FAILED, FAILED, FAILED), false)).isEqualTo(SUCCESSFUL);
        assertThat(MetricRules.assess(metric(3, i, 0, 0, 4, 0), result(INCONCLUSIVE), false)).isEqualTo(INCONCLUSIVE);
        // Errors do not count as measurements; more than consecutiveErrorLimit in a row is Error.
        assertThat(MetricRules.assess(metric(3, i, 0, 0, 2, 0), result(ERROR, ERROR), false)).isEqualTo(RUNNING);
        assertThat(MetricRules.assess(metric(3, i, 0, 0, 2, 0), result(ERROR, ERROR, ERROR), false)).isEqualTo(ERROR);
        assertThat(MetricRules.assess(metric(3, i, 0, 0, 2, 0), result(ERROR, ERROR, SUCCESSFUL, ERROR, ERROR), false)).isEqualTo(RUNNING);
        // consecutiveSuccessLimit: reached ends it; count reached without it is Inconclusive (with a failure limit) or Failed.
        assertThat(MetricRules.assess(metric(5, i, 0, 0, 4, 2), result(SUCCESSFUL, SUCCESSFUL), false)).isEqualTo(SUCCESSFUL);
        assertThat(MetricRules.assess(metric(2, i, 3, 0, 4, 2), result(SUCCESSFUL, FAILED), false)).isEqualTo(INCONCLUSIVE);
        assertThat(MetricRules.assess(metric(2, i, -1, 0, 4, 2), result(SUCCESSFUL, FAILED), false)).isEqualTo(FAILED);
        // No count and no interval: one measurement; an interval without count runs until stopped.
        assertThat(MetricRules.assess(metric(null, null, 0, 0, 4, 0), result(SUCCESSFUL), false)).isEqualTo(SUCCESSFUL);
        assertThat(MetricRules.assess(metric(null, i, 0, 0, 4, 0), result(SUCCESSFUL, SUCCESSFUL), false)).isEqualTo(RUNNING);
        assertThat(MetricRules.assess(metric(null, i, 0, 0, 4, 0), result(SUCCESSFUL, SUCCESSFUL), true)).isEqualTo(SUCCESSFUL);
    }

    @Test
    void aRunIsItsWorstMetricAndDryRunNeverCounts() {
        assertThat(MetricRules.run(List.of(SUCCESSFUL, RUNNING), List.of(false, false))).isEqualTo(RUNNING);
        assertThat(MetricRules.run(List.of(RUNNING, FAILED), List.of(false, false))).isEqualTo(FAILED);
        assertThat(MetricRules.run(List.of(ERROR, INCONCLUSIVE), List.of(false, false))).isEqualTo(ERROR);
        assertThat(MetricRules.run(List.of(SUCCESSFUL, FAILED), List.of(false, true))).isEqualTo(SUCCESSFUL);
        assertThat(MetricRules.run(List.of(), List.of())).isEqualTo(SUCCESSFUL);
    }

    @Test
    void keepsTheLastTenMeasurements() {
        MetricResult r = result(SUCCESSFUL, SUCCESSFUL, SUCCESSFUL, SUCCESSFUL, SUCCESSFUL, SUCCESSFUL, SUCCESSFUL, SUCCESSFUL, SUCCESSFUL,
                SUCCESSFUL, SUCCESSFUL, FAILED);
        assertThat(r.measurements()).hasSize(10);
        assertThat(r.count()).isEqualTo(12);
        assertThat(r.last().phase()).isEqualTo(FAILED);
    }
}
