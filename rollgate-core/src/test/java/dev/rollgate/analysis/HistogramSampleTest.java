package dev.rollgate.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rollgate.analysis.HistogramSample.Bucket;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistogramSampleTest {

    private static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void eachBucketsRequestsStandAtItsMiddleAndTheOpenBucketAtItsLowerEdge() {
        double[] sample = HistogramSample.of(List.of(new Bucket(INF, 6), new Bucket(0.1, 3), new Bucket(0.05, 2)), 100);
        assertThat(sample).containsExactly(new double[] {25, 25, 75, 100, 100, 100}, within(1e-9));
    }

    @Test
    void moreRequestsThanTheLimitAreScaledDownTogether() {
        double[] sample = HistogramSample.of(List.of(new Bucket(0.01, 3000), new Bucket(0.02, 4000), new Bucket(INF, 4000)), 400);
        assertThat(sample).hasSize(400);
        assertThat(java.util.Arrays.stream(sample).filter(v -> v == 5).count()).isEqualTo(300);
        assertThat(java.util.Arrays.stream(sample).filter(v -> v == 15).count()).isEqualTo(100);
    }

    @Test
    void aCountThatGoesDownCountsAsNoneAndAnEmptyHistogramIsAnEmptySample() {
        // increase() extrapolates each bucket on its own: a higher bucket may come out a little lower
        double[] sample = HistogramSample.of(List.of(new Bucket(0.1, 5.4), new Bucket(0.2, 5.1), new Bucket(INF, 6)), 100);
        assertThat(sample).containsExactly(50, 50, 50, 50, 50, 200);
        assertThat(HistogramSample.of(List.of(new Bucket(0.1, 0), new Bucket(INF, 0)), 100)).isEmpty();
    }

    @Test
    void theRankTestTellsAShiftedHistogramFromTheSameOne() {
        List<Bucket> stable = List.of(new Bucket(0.05, 800), new Bucket(0.1, 950), new Bucket(0.25, 1000), new Bucket(INF, 1000));
        List<Bucket> slower = List.of(new Bucket(0.05, 100), new Bucket(0.1, 500), new Bucket(0.25, 990), new Bucket(INF, 1000));
        assertThat(MannWhitney.compare(HistogramSample.of(slower, 2000), HistogramSample.of(stable, 2000), 0.25, 0.01).verdict())
                .isEqualTo(MannWhitney.Verdict.HIGH);
        assertThat(MannWhitney.compare(HistogramSample.of(stable, 2000), HistogramSample.of(stable, 2000), 0.25, 0.01).verdict())
                .isEqualTo(MannWhitney.Verdict.PASS);
    }
}
