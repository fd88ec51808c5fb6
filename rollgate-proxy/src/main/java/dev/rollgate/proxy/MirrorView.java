package dev.rollgate.proxy;

/**
 * Mirroring to one revision so far: copies sent, copies dropped (the queue was full), pairs
 * compared, failures on each side of them (5xx or no answer), pairs whose status class (or, when
 * asked, body and headers) differed, and the latencies of the last pairs in milliseconds, oldest first.
 */
public record MirrorView(long mirrored, long dropped, long pairs, long canaryErrors, long stableErrors, long different,
                         double[] canaryLatencyMs, double[] stableLatencyMs) {

    public static final MirrorView NONE = new MirrorView(0, 0, 0, 0, 0, 0, new double[0], new double[0]);
}
