package dev.rollgate.analysis;

import dev.rollgate.spec.AnalysisTemplate.Metric;
import java.util.List;

/** Argo Rollouts' rules for one measurement's outcome, one metric's status and a whole run's status. */
public final class MetricRules {

    private MetricRules() {}

    /**
     * The outcome of a measured value: Failed when the failure condition holds; Successful when
     * the success condition holds; with only one condition set, its opposite decides; with both
     * set and neither holding, Inconclusive; with none, Successful.
     */
    public static AnalysisPhase evaluate(String successCondition, String failureCondition, Object value) {
        boolean hasSuccess = successCondition != null, hasFailure = failureCondition != null;
        if (hasFailure && MetricCondition.of(failureCondition).test(value)) return AnalysisPhase.FAILED;
        if (!hasSuccess) return AnalysisPhase.SUCCESSFUL;
        if (MetricCondition.of(successCondition).test(value)) return AnalysisPhase.SUCCESSFUL;
        return hasFailure ? AnalysisPhase.INCONCLUSIVE : AnalysisPhase.FAILED;
    }

    /**
     * Argo's {@code assessMetricStatus}. {@code terminating}: the run is being stopped (its rollout
     * moved on), so a metric that has not failed counts as Successful.
     */
    public static AnalysisPhase assess(Metric metric, MetricResult r, boolean terminating) {
        if (r.measurements().isEmpty()) return terminating ? AnalysisPhase.SUCCESSFUL : AnalysisPhase.PENDING;
        if (metric.failureLimit() >= 0 && r.failed() > metric.failureLimit()) return AnalysisPhase.FAILED;
        if (r.inconclusive() > metric.inconclusiveLimit()) return AnalysisPhase.INCONCLUSIVE;
        if (r.consecutiveError() > metric.consecutiveErrorLimit()) return AnalysisPhase.ERROR;
        if (metric.consecutiveSuccessLimit() > 0 && r.consecutiveSuccess() >= metric.consecutiveSuccessLimit()) {
            return AnalysisPhase.SUCCESSFUL;
        }
        Integer count = metric.effectiveCount();
        if (count != null && r.count() >= count) {
            if (metric.consecutiveSuccessLimit() > 0) {
                // The success limit was not reached: with a failure limit too, it is unclear; alone, it failed.
                return metric.failureLimit() >= 0 ? AnalysisPhase.INCONCLUSIVE : AnalysisPhase.FAILED;
            }
            return AnalysisPhase.SUCCESSFUL;
        }
        return terminating ? AnalysisPhase.SUCCESSFUL : AnalysisPhase.RUNNING;
    }

    /** A run is as bad as its worst metric; dry-run metrics never count. No metric at all: Successful. */
    public static AnalysisPhase run(List<AnalysisPhase> metricPhases, List<Boolean> dryRun) {
        AnalysisPhase worst = AnalysisPhase.SUCCESSFUL;
        for (int i = 0; i < metricPhases.size(); i++) {
            if (!dryRun.get(i)) worst = AnalysisPhase.worst(worst, metricPhases.get(i));
        }
        return worst;
    }
}
