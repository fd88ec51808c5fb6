package dev.rollgate.proxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters and a latency recorder for one revision or endpoint, folded into one-second buckets
 * so that any window up to {@link #SECONDS} can be asked for ("the last 60 s of revision 7").
 * Writers only touch LongAdders and an HdrHistogram {@link Recorder}: no lock on the request path.
 */
final class SlidingWindow {

    static final int SECONDS = 300;
    private static final long MAX_MICROS = Duration.ofMinutes(5).toNanos() / 1000;

    private final LongAdder[] statusTotals = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()};
    private final LongAdder socketErrorTotal = new LongAdder();
    private final LongAdder retryTotal = new LongAdder();
    final AtomicInteger inFlight = new AtomicInteger();
    private final Recorder latency = new Recorder(MAX_MICROS, 2);

    private final long[][] bucketCounts = new long[SECONDS][7];
    private final Histogram[] bucketLatency = new Histogram[SECONDS];
    private final long[] bucketSecond = new long[SECONDS];
    private final long[] lastTotals = new long[7];
    private Histogram recycle;

    void record(int status, long micros) {
        int cls = status / 100;
        if (cls >= 1 && cls <= 5) statusTotals[cls - 1].increment();
        latency.recordValue(Math.min(Math.max(micros, 0), MAX_MICROS));
    }

    void socketError() {
        socketErrorTotal.increment();
    }

    void retry() {
        retryTotal.increment();
    }

    long total(int statusClass) {
        return statusTotals[statusClass - 1].sum();
    }

    long socketErrors() {
        return socketErrorTotal.sum();
    }

    long retries() {
        return retryTotal.sum();
    }

    /** Closes the second that just ended into its bucket; called once a second by one thread. */
    synchronized void tick(long epochSecond) {
        int slot = (int) Math.floorMod(epochSecond, (long) SECONDS);
        long[] totals = currentTotals();
        long[] counts = bucketCounts[slot];
        for (int i = 0; i < 7; i++) {
            counts[i] = totals[i] - lastTotals[i];
            lastTotals[i] = totals[i];
        }
        Histogram interval = latency.getIntervalHistogram(recycle);
        recycle = bucketLatency[slot];
        bucketLatency[slot] = interval.getTotalCount() == 0 ? null : interval;
        if (bucketLatency[slot] == null) recycle = interval;
        bucketSecond[slot] = epochSecond;
    }

    private long[] currentTotals() {
        return new long[] {statusTotals[0].sum(), statusTotals[1].sum(), statusTotals[2].sum(), statusTotals[3].sum(),
                statusTotals[4].sum(), socketErrorTotal.sum(), retryTotal.sum()};
    }

    /**
     * Latencies (ms) of the last {@code seconds} whole seconds, as at most {@code max} values spread
     * evenly over the recorded distribution (every value when fewer were recorded).
     */
    synchronized double[] latencySample(int seconds, long nowSecond, int max) {
        int span = Math.min(Math.max(seconds, 1), SECONDS);
        Histogram merged = new Histogram(MAX_MICROS, 2);
        for (int i = 0; i < SECONDS; i++) {
            long age = nowSecond - bucketSecond[i];
            if (bucketSecond[i] == 0 || age < 0 || age >= span || bucketLatency[i] == null) continue;
            merged.add(bucketLatency[i]);
        }
        long total = merged.getTotalCount();
        int n = (int) Math.min(total, max);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = merged.getValueAtPercentile(100.0 * (i + 0.5) / n) / 1000.0;
        return out;
    }

    /**
     * One {@link SecondStats} per whole second of the last {@code seconds} before {@code nowSecond}
     * that saw any request, oldest first: what a chart of this revision plots.
     */
    synchronized List<SecondStats> perSecond(int seconds, long nowSecond) {
        int span = Math.min(Math.max(seconds, 1), SECONDS);
        List<SecondStats> out = new ArrayList<>();
        for (long second = nowSecond - span; second < nowSecond; second++) {
            int i = (int) Math.floorMod(second, (long) SECONDS);
            if (bucketSecond[i] != second) continue;
            long[] c = bucketCounts[i];
            long answered = c[0] + c[1] + c[2] + c[3] + c[4];
            if (answered + c[5] == 0) continue;
            Histogram h = bucketLatency[i];
            out.add(new SecondStats(second, answered, c[4], c[5], c[6],
                    h == null ? Double.NaN : h.getValueAtPercentile(50) / 1000.0,
                    h == null ? Double.NaN : h.getValueAtPercentile(99) / 1000.0));
        }
        return out;
    }

    /** The buckets of the last {@code seconds} whole seconds before {@code nowSecond}. */
    synchronized WindowStats window(int seconds, long nowSecond) {
        int span = Math.min(Math.max(seconds, 1), SECONDS);
        long[] sum = new long[7];
        Histogram merged = new Histogram(MAX_MICROS, 2);
        for (int i = 0; i < SECONDS; i++) {
            long age = nowSecond - bucketSecond[i];
            if (bucketSecond[i] == 0 || age < 0 || age >= span) continue;
            for (int k = 0; k < 7; k++) sum[k] += bucketCounts[i][k];
            if (bucketLatency[i] != null) merged.add(bucketLatency[i]);
        }
        boolean any = merged.getTotalCount() > 0;
        return new WindowStats(Duration.ofSeconds(span), new long[] {sum[0], sum[1], sum[2], sum[3], sum[4]}, sum[5], sum[6],
                inFlight.get(),
                any ? merged.getValueAtPercentile(50) / 1000.0 : Double.NaN,
                any ? merged.getValueAtPercentile(90) / 1000.0 : Double.NaN,
                any ? merged.getValueAtPercentile(99) / 1000.0 : Double.NaN,
                any ? merged.getValueAtPercentile(99.9) / 1000.0 : Double.NaN);
    }
}
