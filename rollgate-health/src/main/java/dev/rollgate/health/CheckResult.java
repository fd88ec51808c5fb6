package dev.rollgate.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one run of a check found: UP or DOWN, and flat data (strings, numbers, booleans) that
 * MicroProfile Health's wire format allows.
 */
public record CheckResult(Status status, Map<String, Object> data) {

    public CheckResult {
        data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    public static CheckResult up() {
        return new CheckResult(Status.UP, Map.of());
    }

    public static CheckResult down(String error) {
        return new CheckResult(Status.DOWN, Map.of("error", error));
    }

    public static CheckResult of(boolean up) {
        return up ? up() : new CheckResult(Status.DOWN, Map.of());
    }

    /** The same result with one more data entry; values must be a String, a Number or a Boolean. */
    public CheckResult with(String key, Object value) {
        if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
            throw new IllegalArgumentException("check data values are strings, numbers or booleans: " + key + "=" + value);
        }
        Map<String, Object> d = new LinkedHashMap<>(data);
        d.put(key, value);
        return new CheckResult(status, d);
    }

    public boolean isUp() {
        return status == Status.UP;
    }
}
