package dev.rollgate.proxy;

/**
 * What one revision did in one whole second: responses, 5xx among them, socket errors, retries,
 * and the median and 99th percentile latency in milliseconds (NaN when nothing was answered).
 */
public record SecondStats(long epochSecond, long responses, long serverErrors, long socketErrors, long retries,
                          double p50, double p99) {

    /** Failed requests (5xx and socket errors) over all requests of that second. */
    public double errorRate() {
        long all = responses + socketErrors;
        return all == 0 ? 0 : (double) (serverErrors + socketErrors) / all;
    }
}
