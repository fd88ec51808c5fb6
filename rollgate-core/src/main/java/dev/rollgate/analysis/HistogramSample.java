package dev.rollgate.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A latency histogram (Prometheus' cumulative {@code _bucket} counts by {@code le}) read as a
 * sample the rank test can take: each bucket's requests stand at the middle of the bucket, and
 * the open-ended {@code +Inf} bucket at its lower edge. The rank test only needs the order, so
 * binned values are a sound input for it (ties are corrected for); the shift estimate is as
 * coarse as the buckets.
 */
public final class HistogramSample {

    /** One cumulative bucket: requests at or below {@code le} (seconds; {@code +Inf} as infinity). */
    public record Bucket(double le, double cumulativeCount) {}

    private HistogramSample() {}

    /**
     * Milliseconds, at most {@code max} values: bucket counts are scaled down together when there
     * are more requests than that. Counts that go down from one bucket to the next (a rate's
     * extrapolation) count as none.
     */
    public static double[] of(List<Bucket> buckets, int max) {
        List<Bucket> sorted = new ArrayList<>(buckets);
        sorted.sort(Comparator.comparingDouble(Bucket::le));
        double[] counts = new double[sorted.size()];
        double[] values = new double[sorted.size()];
        double below = 0, lower = 0, total = 0;
        for (int i = 0; i < sorted.size(); i++) {
            Bucket b = sorted.get(i);
            counts[i] = Math.max(0, b.cumulativeCount() - below);
            below = Math.max(below, b.cumulativeCount());
            values[i] = 1000 * (Double.isInfinite(b.le()) ? lower : (lower + b.le()) / 2);
            if (!Double.isInfinite(b.le())) lower = b.le();
            total += counts[i];
        }
        double scale = total > max ? max / total : 1;
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            long n = Math.round(counts[i] * scale);
            for (long k = 0; k < n && out.size() < max; k++) out.add(values[i]);
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
