package dev.rollgate.proxy;

import java.time.Instant;

/**
 * A replica taken out of routing for its own failures ({@link OutlierDetection}): which one, after
 * how many failures in a row, its how-manieth ejection, when, and for how long. {@code sequence}
 * grows by one with each ejection of a proxy, so that a reader can ask for what it has not seen.
 */
public record Ejection(long sequence, String endpoint, String revision, int failures, int number, Instant at, long seconds) {

    /** When it is back in routing. */
    public Instant until() {
        return at.plusSeconds(seconds);
    }
}
