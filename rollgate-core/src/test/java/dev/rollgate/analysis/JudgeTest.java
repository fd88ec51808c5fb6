package dev.rollgate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The canary judge's two tests on simulated traffic with fixed seeds. */
class JudgeTest {

    /** Runs one simulated canary: 10 % of requests to the canary, the test updated every {@code step} requests. */
    private static long requestsToReject(SplittableRandom rnd, double canaryRate, double stableRate, int maxRequests, int step) {
        SequentialErrorRatio.State s = SequentialErrorRatio.start(0.25);
        long nc = 0, ec = 0, ns = 0, es = 0;
        for (int i = 1; i <= maxRequests; i++) {
            if (rnd.nextDouble() < 0.10) {
                nc++;
                if (rnd.nextDouble() < canaryRate) ec++;
            } else {
                ns++;
                if (rnd.nextDouble() < stableRate) es++;
            }
            if (i % step == 0) {
                s = SequentialErrorRatio.update(s, nc, ec, ns, es, 0.01);
                nc = ec = ns = es = 0;
                if (s.rejected()) return i;
            }
        }
        return -1;
    }

    @Test
    void identicalVersionsAreRarelyFailedEvenWhenCheckedContinuously() {
        SplittableRandom rnd = new SplittableRandom(7);
        int rejected = 0, runs = 400;
        for (int run = 0; run < runs; run++) {
            if (requestsToReject(rnd, 0.01, 0.01, 20_000, 10) > 0) rejected++;
        }
        assertThat((double) rejected / runs).isLessThanOrEqualTo(0.02); // alpha = 0.01 bounds it, with room for sampling error
    }

    @Test
    void aCanaryWithFivePercentErrorsAgainstATenthOfAPercentIsFailedWithinAFewThousandRequests() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int run = 0; run < 50; run++) {
            long at = requestsToReject(rnd, 0.05, 0.001, 20_000, 10);
            assertThat(at).as("run " + run).isPositive().isLessThan(5_000);
        }
    }

    @Test
    void onlyErrorsMoveTheEvidenceSoSparseErrorsAreNotDilutedByCleanIntervals() {
        SequentialErrorRatio.State s = SequentialErrorRatio.start(0.25);
        for (int i = 0; i < 1000; i++) s = SequentialErrorRatio.update(s, 10, 0, 90, 0, 0.01);
        assertThat(SequentialErrorRatio.evidence(s)).isZero();
        // Four errors, all on the canary that gets 10 % of the traffic: enough to fail at alpha = 0.01.
        s = SequentialErrorRatio.update(s, 10, 4, 90, 0, 0.01);
        assertThat(s.rejected()).isTrue();
    }

    @Test
    void rankTestFindsASlowerCanaryAndPassesAnEqualOne() {
        SplittableRandom rnd = new SplittableRandom(3);
        double[] stable = new double[400], same = new double[200], slow = new double[200];
        for (int i = 0; i < stable.length; i++) stable[i] = 10 + rnd.nextDouble() * 10;
        for (int i = 0; i < same.length; i++) same[i] = 10 + rnd.nextDouble() * 10;
        for (int i = 0; i < slow.length; i++) slow[i] = 16 + rnd.nextDouble() * 10;
        assertThat(MannWhitney.compare(same, stable, 0.25, 0.01).verdict()).isEqualTo(MannWhitney.Verdict.PASS);
        MannWhitney.Result high = MannWhitney.compare(slow, stable, 0.25, 0.01);
        assertThat(high.verdict()).isEqualTo(MannWhitney.Verdict.HIGH);
        assertThat(high.shift()).isBetween(5.0, 7.0);
        // Slower, significantly, but by less than the tolerance: passes.
        assertThat(MannWhitney.compare(slow, stable, 0.5, 0.01).verdict()).isEqualTo(MannWhitney.Verdict.PASS);
        assertThat(MannWhitney.compare(new double[5], stable, 0.25, 0.01).verdict()).isEqualTo(MannWhitney.Verdict.NO_DATA);
    }
}
