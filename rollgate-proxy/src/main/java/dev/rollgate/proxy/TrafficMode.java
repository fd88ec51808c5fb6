package dev.rollgate.proxy;

/**
 * Maintenance of one service, as {@code rollgate traffic pause|stop|resume} sets it: serve as
 * usual; pause (new requests wait, up to {@code holdLimit} of them, until resume, then go on, or
 * for {@code maxPauseSeconds} at most, then 503 with {@code Retry-After}, as kamal-proxy's
 * {@code --max-pause}); or stop (503 with a page and {@code Retry-After}).
 */
public record TrafficMode(Mode mode, String message, int retryAfterSeconds, int holdLimit, int maxPauseSeconds) {

    public enum Mode { SERVE, PAUSE, STOP }

    /** How long a request waits in a pause when nobody said (kamal-proxy's default). */
    public static final int DEFAULT_MAX_PAUSE_SECONDS = 30;

    public static final TrafficMode SERVE = new TrafficMode(Mode.SERVE, null, 0, 0, 0);

    public TrafficMode {
        // A mode stored before the pause had a limit reads 0: it gets the default, never "forever".
        if (mode == Mode.PAUSE && maxPauseSeconds <= 0) maxPauseSeconds = DEFAULT_MAX_PAUSE_SECONDS;
    }

    public static TrafficMode pause(int holdLimit, int maxPauseSeconds) {
        return new TrafficMode(Mode.PAUSE, null, 0, holdLimit, maxPauseSeconds);
    }

    public static TrafficMode stop(String message, int retryAfterSeconds) {
        return new TrafficMode(Mode.STOP, message, retryAfterSeconds, 0, 0);
    }

    /** What the mode does, in words ("paused: new requests wait ..."), as {@code rollgate traffic} answers. */
    public String describe() {
        return switch (mode) {
            case SERVE -> "resumed: requests are served again";
            case PAUSE -> "paused: new requests wait (at most " + holdLimit + ", each for at most " + maxPauseSeconds
                    + "s, then 503) until resume";
            case STOP -> "stopped: requests get 503" + (message == null ? "" : " (" + message + ")") + " with Retry-After "
                    + retryAfterSeconds + "s";
        };
    }

    /** The reason of the event that records the change to this mode. */
    public String eventReason() {
        return switch (mode) {
            case SERVE -> "TrafficResumed";
            case PAUSE -> "TrafficPaused";
            case STOP -> "TrafficStopped";
        };
    }
}
