package dev.rollgate.proxy;

/**
 * Maintenance of one service, as {@code rollgate traffic pause|stop|resume} sets it: serve as
 * usual; pause (new requests wait, up to {@code holdLimit} of them, until resume, then go on); or
 * stop (503 with a page and {@code Retry-After}).
 */
public record TrafficMode(Mode mode, String message, int retryAfterSeconds, int holdLimit) {

    public enum Mode { SERVE, PAUSE, STOP }

    public static final TrafficMode SERVE = new TrafficMode(Mode.SERVE, null, 0, 0);

    public static TrafficMode pause(int holdLimit) {
        return new TrafficMode(Mode.PAUSE, null, 0, holdLimit);
    }

    public static TrafficMode stop(String message, int retryAfterSeconds) {
        return new TrafficMode(Mode.STOP, message, retryAfterSeconds, 0);
    }
}
