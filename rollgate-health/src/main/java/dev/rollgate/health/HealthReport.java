package dev.rollgate.health;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One probe's answer: its status and the checks behind it, ready to be written as JSON. */
public record HealthReport(Status status, List<CheckView> checks) {

    public HealthReport {
        checks = List.copyOf(checks);
    }

    /** One check as shown: name, status, data, and how its latest run went. */
    public record CheckView(String name, Status status, boolean critical, Map<String, Object> data, Duration lastDuration) {}
}
