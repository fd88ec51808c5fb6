package dev.rollgate.proxy;

import java.util.concurrent.atomic.LongAdder;

/**
 * What mirroring to one revision saw: copies sent and dropped, and for each pair (the answer the
 * client got from stable, the mirrored one) whether either failed, whether they differed, and
 * both latencies (the last {@link #KEPT} pairs).
 */
final class MirrorStats {

    static final int KEPT = 2000;

    final LongAdder mirrored = new LongAdder();
    final LongAdder dropped = new LongAdder();
    private final LongAdder pairs = new LongAdder(), canaryErrors = new LongAdder(), stableErrors = new LongAdder(),
            differ = new LongAdder();
    private final double[] canaryMs = new double[KEPT], stableMs = new double[KEPT];
    private long written;

    /** One pair; a status of 0 is a request that got no answer (a socket error or a timeout). */
    void pair(int stableStatus, long stableMicros, int canaryStatus, long canaryMicros, boolean different) {
        pairs.increment();
        if (canaryStatus == 0 || canaryStatus >= 500) canaryErrors.increment();
        if (stableStatus == 0 || stableStatus >= 500) stableErrors.increment();
        if (different) differ.increment();
        synchronized (this) {
            int i = (int) (written++ % KEPT);
            canaryMs[i] = canaryMicros / 1000.0;
            stableMs[i] = stableMicros / 1000.0;
        }
    }

    /** The counts, and the kept latencies oldest first. */
    synchronized MirrorView view() {
        int n = (int) Math.min(written, KEPT);
        int start = written > KEPT ? (int) (written % KEPT) : 0;
        double[] c = new double[n], s = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = canaryMs[(start + i) % KEPT];
            s[i] = stableMs[(start + i) % KEPT];
        }
        return new MirrorView(mirrored.sum(), dropped.sum(), pairs.sum(), canaryErrors.sum(), stableErrors.sum(), differ.sum(), c, s);
    }
}
