package dev.rollgate.health;

import java.util.Locale;
import java.util.Map;

/** Per-check status and duration, and each probe's status, in Prometheus' text format. */
public final class HealthMetrics {

    private HealthMetrics() {}

    public static String prometheus(Health health) {
        StringBuilder b = new StringBuilder(512);
        b.append("# HELP rollgate_health_probe_status 1 when the probe answers UP, 0 when DOWN.\n");
        b.append("# TYPE rollgate_health_probe_status gauge\n");
        for (HealthGroup kind : HealthGroup.values()) {
            b.append("rollgate_health_probe_status{probe=\"").append(kind.name().toLowerCase(Locale.ROOT)).append("\"} ")
                    .append(health.report(kind).status() == Status.UP ? 1 : 0).append('\n');
        }
        b.append("# HELP rollgate_health_check_status 1 when the check is UP, 0 when DOWN, -1 before its first result.\n");
        b.append("# TYPE rollgate_health_check_status gauge\n");
        Map<String, CheckState> states = health.states();
        for (var e : states.entrySet()) {
            Status s = e.getValue().effective();
            b.append("rollgate_health_check_status{check=").append(label(e.getKey())).append("} ")
                    .append(s == null ? -1 : s == Status.UP ? 1 : 0).append('\n');
        }
        b.append("# HELP rollgate_health_check_duration_seconds How long the check's latest run took.\n");
        b.append("# TYPE rollgate_health_check_duration_seconds gauge\n");
        for (var e : states.entrySet()) {
            b.append("rollgate_health_check_duration_seconds{check=").append(label(e.getKey())).append("} ")
                    .append(String.format(Locale.ROOT, "%.6f", e.getValue().lastDuration().toNanos() / 1e9)).append('\n');
        }
        b.append("# HELP rollgate_health_check_failures_in_a_row Consecutive failed runs of the check.\n");
        b.append("# TYPE rollgate_health_check_failures_in_a_row gauge\n");
        for (var e : states.entrySet()) {
            b.append("rollgate_health_check_failures_in_a_row{check=").append(label(e.getKey())).append("} ")
                    .append(e.getValue().failuresInARow()).append('\n');
        }
        return b.toString();
    }

    private static String label(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
