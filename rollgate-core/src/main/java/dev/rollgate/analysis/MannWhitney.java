package dev.rollgate.analysis;

import java.util.Arrays;

/**
 * Is the canary slower than stable by more than a tolerance? Kayenta's approach to latency: the
 * Mann-Whitney U (Wilcoxon rank-sum) test, one-sided, with the Hodges-Lehmann estimate of the
 * shift as the effect size. High when the test is significant at {@code alpha} and the shift is
 * more than {@code tolerance} times stable's median.
 */
public final class MannWhitney {

    /** Fewer samples than this on either side: no verdict. */
    public static final int MIN_SAMPLES = 20;

    public enum Verdict { PASS, HIGH, NO_DATA }

    /** The verdict with what it rests on: one-sided p-value, shift estimate, stable's median. */
    public record Result(Verdict verdict, double pValue, double shift, double stableMedian, int canaryN, int stableN) {}

    private MannWhitney() {}

    public static Result compare(double[] canary, double[] stable, double tolerance, double alpha) {
        int n = canary.length, m = stable.length;
        double[] s = stable.clone();
        Arrays.sort(s);
        double median = s.length == 0 ? Double.NaN : quantile(s, 0.5);
        if (n < MIN_SAMPLES || m < MIN_SAMPLES) return new Result(Verdict.NO_DATA, Double.NaN, Double.NaN, median, n, m);
        double p = pValueGreater(canary, stable);
        double shift = hodgesLehmann(canary, s);
        boolean high = p < alpha && shift > tolerance * Math.abs(median);
        return new Result(high ? Verdict.HIGH : Verdict.PASS, p, shift, median, n, m);
    }

    /** One-sided p-value that the canary's values tend to be larger: normal approximation with tie correction. */
    public static double pValueGreater(double[] canary, double[] stable) {
        int n = canary.length, m = stable.length, total = n + m;
        double[][] all = new double[total][];
        for (int i = 0; i < n; i++) all[i] = new double[] {canary[i], 1};
        for (int i = 0; i < m; i++) all[n + i] = new double[] {stable[i], 0};
        Arrays.sort(all, (a, b) -> Double.compare(a[0], b[0]));
        double rankSum = 0, tieTerm = 0;
        for (int i = 0; i < total; ) {
            int j = i;
            while (j + 1 < total && all[j + 1][0] == all[i][0]) j++;
            double rank = (i + j) / 2.0 + 1;
            int t = j - i + 1;
            tieTerm += (double) t * t * t - t;
            for (int k = i; k <= j; k++) if (all[k][1] == 1) rankSum += rank;
            i = j + 1;
        }
        double u = rankSum - n * (n + 1) / 2.0;
        double mean = n * (double) m / 2;
        double var = n * (double) m / 12 * ((total + 1) - tieTerm / ((double) total * (total - 1)));
        if (var <= 0) return 1;
        double z = (u - mean - 0.5) / Math.sqrt(var); // continuity correction
        return 1 - normalCdf(z);
    }

    /** The median of all pairwise differences canary − stable (over at most 500 evenly spaced values of each). */
    static double hodgesLehmann(double[] canary, double[] sortedStable) {
        double[] c = spread(sorted(canary), 500), st = spread(sortedStable, 500);
        double[] diffs = new double[c.length * st.length];
        int k = 0;
        for (double x : c) for (double y : st) diffs[k++] = x - y;
        Arrays.sort(diffs);
        return quantile(diffs, 0.5);
    }

    private static double[] sorted(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s;
    }

    private static double[] spread(double[] sorted, int max) {
        if (sorted.length <= max) return sorted;
        double[] out = new double[max];
        for (int i = 0; i < max; i++) out[i] = sorted[(int) ((i + 0.5) * sorted.length / max)];
        return out;
    }

    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos), hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    /** Standard normal CDF (Zelen and Severo, 26.2.17; error below 7.5e-8). */
    static double normalCdf(double z) {
        if (z < -8) return 0;
        if (z > 8) return 1;
        double t = 1 / (1 + 0.2316419 * Math.abs(z));
        double poly = t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
        double tail = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI) * poly;
        return z >= 0 ? 1 - tail : tail;
    }
}
