package dev.rollgate.proxy;

import java.time.Duration;

/**
 * What one revision or endpoint did over a window: requests by status class, socket errors,
 * retries, and latency percentiles in milliseconds (NaN with no request).
 */
public record WindowStats(Duration window, long[] byStatusClass, long socketErrors, long retries, long inFlight,
                          double p50, double p90, double p99, double p999) {

    /** Responses with a status (1xx to 5xx), not counting socket errors. */
    public long requests() {
        long n = 0;
        for (long c : byStatusClass) n += c;
        return n;
    }

    public long status(int statusClass) {
        return byStatusClass[statusClass - 1];
    }

    /** Share of answered requests that were not 5xx, plus socket errors as failures; NaN when idle. */
    public double successRate() {
        long all = requests() + socketErrors;
        return all == 0 ? Double.NaN : (double) (all - status(5) - socketErrors) / all;
    }
}
