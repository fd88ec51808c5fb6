package dev.rollgate.proxy;

/**
 * Whether a request may go on now, before a replica is chosen: refused with a 503 and a
 * {@code Retry-After} when the proxy is short of memory or the service is stopped for maintenance,
 * held while the service is paused (up to the pause's limit), or let through. The exchange carries
 * the answer out; the pause's slots are {@code ProxyServer.hold}'s.
 */
sealed interface TrafficGate {

    /** Let through. */
    record Open() implements TrafficGate {}

    /** Answered 503 with {@code message}, and {@code Retry-After: retryAfter}. */
    record Refuse(String message, String retryAfter) implements TrafficGate {}

    /** Held until the service resumes, for {@code maxSeconds} at most. */
    record Hold(int maxSeconds) implements TrafficGate {}

    TrafficGate OPEN = new Open();

    /** What a held request is told when the pause holds as many as it may. */
    String PAUSE_FULL = "the service is paused and holds as many requests as it may";

    static TrafficGate at(boolean pressured, TrafficMode mode) {
        if (pressured) return new Refuse("the proxy is short of memory; try again in a moment", "1");
        return switch (mode.mode()) {
            case STOP -> new Refuse(mode.message() == null ? "the service is stopped for maintenance" : mode.message(),
                    Integer.toString(mode.retryAfterSeconds()));
            case PAUSE -> new Hold(mode.maxPauseSeconds());
            case SERVE -> OPEN;
        };
    }

    /** What a held request is told when the pause outlasts its limit. */
    static String outstayed(int maxSeconds) {
        return "the service stayed paused longer than " + maxSeconds + " s";
    }
}
