package dev.rollgate.analysis;

/**
 * Is the canary's error rate higher than stable's by more than a tolerance? A test that stays
 * valid however often it is looked at, and at any traffic level.
 *
 * <p>Given that an error happened, it fell on the canary with probability
 * {@code θ = r·nc / (r·nc + ns)}, where {@code nc}, {@code ns} are the requests each revision got
 * over the same interval and {@code r} is the ratio of their error rates. The null hypothesis is
 * {@code r ≤ 1 + tolerance}. Evidence is the likelihood ratio of the errors' split, mixed over
 * {@code r} above the null (uniform in log r up to 1000×), against {@code r = 1 + tolerance}. Under
 * the null that ratio is a nonnegative supermartingale, so by Ville's inequality it ever reaches
 * {@code 1/alpha} with probability at most {@code alpha}: checking after every request is as
 * sound as checking once. Only errors move it, so sparse or bursty errors count in full, where a
 * rank test over per-interval rates (Kayenta's) sees mostly zeros and passes.
 */
public final class SequentialErrorRatio {

    private static final int GRID = 64;
    private static final double MAX_LOG_RATIO = Math.log(1000);

    /** Log-likelihood ratios per grid point of r, and the counts seen so far. Immutable. */
    public record State(double r0, double[] logLr, long canaryRequests, long canaryErrors, long stableRequests, long stableErrors,
                        boolean rejected) {
        public State {
            logLr = logLr.clone();
        }
    }

    private SequentialErrorRatio() {}

    public static State start(double tolerance) {
        return new State(1 + tolerance, new double[GRID], 0, 0, 0, 0, false);
    }

    private static double ratio(State s, int i) {
        return s.r0() * Math.exp(MAX_LOG_RATIO * (i + 1) / GRID);
    }

    /**
     * Adds one interval: requests and errors of each revision since the last update. Errors are
     * split by that interval's traffic shares, so a weight change between intervals is accounted for.
     */
    public static State update(State s, long canaryRequests, long canaryErrors, long stableRequests, long stableErrors, double alpha) {
        double[] next = s.logLr().clone();
        if (canaryErrors + stableErrors > 0 && canaryRequests > 0 && stableRequests > 0) {
            double theta0 = s.r0() * canaryRequests / (s.r0() * canaryRequests + stableRequests);
            for (int i = 0; i < GRID; i++) {
                double r = ratio(s, i);
                double theta = r * canaryRequests / (r * canaryRequests + stableRequests);
                next[i] += canaryErrors * Math.log(theta / theta0) + stableErrors * Math.log((1 - theta) / (1 - theta0));
            }
        }
        State after = new State(s.r0(), next, s.canaryRequests() + canaryRequests, s.canaryErrors() + canaryErrors,
                s.stableRequests() + stableRequests, s.stableErrors() + stableErrors, s.rejected());
        return after.rejected() || evidence(after) < Math.log(1 / alpha) ? after
                : new State(after.r0(), after.logLr(), after.canaryRequests(), after.canaryErrors(), after.stableRequests(),
                        after.stableErrors(), true);
    }

    /** The log of the mixture likelihood ratio: the evidence that the canary is worse than the tolerance allows. */
    public static double evidence(State s) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : s.logLr()) max = Math.max(max, v);
        double sum = 0;
        for (double v : s.logLr()) sum += Math.exp(v - max);
        return max + Math.log(sum / GRID);
    }
}
