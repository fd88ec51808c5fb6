package dev.rollgate.analysis.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.analysis.AnalysisPhase;
import dev.rollgate.analysis.MetricResult;
import dev.rollgate.analysis.MetricSource;
import dev.rollgate.spec.AnalysisTemplate;
import dev.rollgate.spec.AnalysisTemplate.Provider;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A bake's analysis: after promotion the previous revision serves nothing, so its numbers are
 * frozen at the first look and the new revision is judged against them.
 */
class BakeBaselineTest {

    /** A metric source whose numbers the test sets: running totals, windows and latency samples per revision. */
    static final class Numbers implements MetricSource {
        final Map<String, Totals> totals = new HashMap<>();
        final Map<String, Window> windows = new HashMap<>();
        final Map<String, double[]> latency = new HashMap<>();

        @Override
        public Totals totals(String revision) {
            return totals.getOrDefault(revision, new Totals(0, 0));
        }

        @Override
        public Window window(String revision, Duration window) {
            return windows.getOrDefault(revision, new Window(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN));
        }

        @Override
        public double[] latencySample(String revision, Duration window, int max) {
            return latency.getOrDefault(revision, new double[0]);
        }
    }

    private static AnalysisTemplate.Metric metric(Provider provider) {
        return new AnalysisTemplate.Metric("m", null, null, null, null, null, 0, 0, 4, 0, provider);
    }

    private static MetricResult.Measurement measure(Providers p, AnalysisTemplate.Metric m, Numbers n, boolean bake) {
        return AnalysisRun.measureOnce(p, m, new RunContext("web", n, "old", "new", Map.of(), null, bake), Instant.EPOCH);
    }

    private static double[] latencies(double center, int n, long seed) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = center + r.nextGaussian() * center * 0.05;
        return v;
    }

    @Test
    void stableIsThePreviousRevisionsLastWindowFrozenAtTheFirstLook() {
        Numbers n = new Numbers();
        n.windows.put("old", new MetricSource.Window(1000, 0.99, 5, 8, 12, 20));
        var stableP99 = metric(new Provider.Builtin("p99", "stable", Duration.ofSeconds(60)));
        Providers p = new Providers();
        assertThat(measure(p, stableP99, n, true).value()).isEqualTo(12.0);
        n.windows.put("old", new MetricSource.Window(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN)); // out of routing
        assertThat(measure(p, stableP99, n, true).value()).as("frozen").isEqualTo(12.0);
        assertThat(measure(new Providers(), stableP99, n, false).value()).as("a run that is no bake reads it live").isEqualTo(Double.NaN);
    }

    @Test
    void theJudgeFailsABakedRevisionWhoseErrorsRiseAgainstTheFrozenBaseline() {
        Numbers n = new Numbers();
        n.windows.put("old", new MetricSource.Window(2000, 0.999, 5, 8, 12, 20)); // 2 errors in 2,000
        var judge = metric(new Provider.Judge("errorRate", 0.25, 0.01, Duration.ofSeconds(60)));
        Providers p = new Providers();
        n.totals.put("new", new MetricSource.Totals(10_000, 0));
        assertThat(measure(p, judge, n, true).phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
        n.totals.put("new", new MetricSource.Totals(12_000, 2)); // the same rate: no evidence
        assertThat(measure(p, judge, n, true).phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
        n.totals.put("new", new MetricSource.Totals(14_000, 102)); // 5 % errors after 20 s at full load
        var failed = measure(p, judge, n, true);
        assertThat(failed.phase()).isEqualTo(AnalysisPhase.FAILED);
        assertThat(failed.value()).asString().contains("baselineRequests=2000").contains("baselineErrors=2").contains("canaryErrors=102");
        n.totals.put("new", new MetricSource.Totals(100_000, 102));
        assertThat(measure(p, judge, n, true).phase()).as("a failed bake stays failed").isEqualTo(AnalysisPhase.FAILED);
    }

    @Test
    void theLatencyJudgeComparesWithTheFrozenSample() {
        Numbers n = new Numbers();
        n.latency.put("old", latencies(10, 2000, 1));
        n.latency.put("new", latencies(10.1, 2000, 2));
        var judge = metric(new Provider.Judge("latency", 0.25, 0.01, Duration.ofSeconds(60)));
        Providers p = new Providers();
        assertThat(measure(p, judge, n, true).phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
        n.latency.put("old", new double[0]);
        n.latency.put("new", latencies(60, 2000, 3)); // +50 ms
        assertThat(measure(p, judge, n, true).phase()).isEqualTo(AnalysisPhase.FAILED);
    }
}
