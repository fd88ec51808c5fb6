package dev.rollgate.analysis.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.analysis.AnalysisPhase;
import dev.rollgate.analysis.MetricSource;
import dev.rollgate.spec.AnalysisTemplate;
import dev.rollgate.spec.AnalysisTemplate.Provider;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The error judge at a request a second: a look where only one revision was asked still counts, at the next look both were. */
class LowTrafficJudgeTest {

    @Test
    void errorsOfLooksWhereOnlyTheCanaryWasAskedAreNotLost() {
        var n = new BakeBaselineTest.Numbers();
        var judge = new AnalysisTemplate.Metric("errors", null, null, null, null, null, 0, 0, 4, 0,
                new Provider.Judge("errorRate", 0.25, 0.01, Duration.ofSeconds(60)));
        var ctx = new RunContext("web", n, "stable", "canary", Map.of(), null);
        Providers p = new Providers();
        long canary = 0, canaryErrors = 0, stable = 0;
        AnalysisPhase last = null;
        int looks = 0;
        // One request a second, to the revisions in turn: every look sees exactly one of them asked.
        for (int second = 0; second < 400 && last != AnalysisPhase.FAILED; second++) {
            if (second % 2 == 0) {
                canary++;
                if (second % 6 == 0) canaryErrors++; // a third of the canary's requests fail, none of stable's
            } else {
                stable++;
            }
            n.totals.put("canary", new MetricSource.Totals(canary, canaryErrors));
            n.totals.put("stable", new MetricSource.Totals(stable, 0));
            last = AnalysisRun.measureOnce(p, judge, ctx, Instant.EPOCH).phase();
            looks++;
        }
        assertThat(last).as("decided within 400 requests").isEqualTo(AnalysisPhase.FAILED);
        assertThat(looks).isLessThan(400);
    }
}
