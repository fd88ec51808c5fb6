package dev.rollgate.local.daemon;

import dev.rollgate.view.ServiceView;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The daemon's own metrics in the Prometheus text format: when it started, its services, its store writes, each rollout's state. */
final class DaemonMetrics {

    private DaemonMetrics() {}

    /** {@code views} and {@code passes} (controller passes by service), both by service name. */
    static String text(Instant started, long storeWrites, List<ServiceView> views, Map<String, Long> passes) {
        StringBuilder b = new StringBuilder();
        family(b, "rollgate_daemon_start_time_seconds", "gauge", "When the daemon started.");
        b.append("rollgate_daemon_start_time_seconds ").append(started.getEpochSecond()).append('\n');
        family(b, "rollgate_services", "gauge", "Services applied.");
        b.append("rollgate_services ").append(views.size()).append('\n');
        family(b, "rollgate_store_writes_total", "counter", "Writes to the state store (each one transaction); an idle daemon makes none.");
        b.append("rollgate_store_writes_total ").append(storeWrites).append('\n');
        family(b, "rollgate_rollout_revision", "gauge", "The current revision of each service.");
        for (ServiceView v : views) sample(b, "rollgate_rollout_revision", v.name(), "", v.status().revision());
        family(b, "rollgate_rollout_phase", "gauge", "The phase of each service's rollout (1 for the current one).");
        for (ServiceView v : views) sample(b, "rollgate_rollout_phase", v.name(), ",phase=\"" + v.phase() + "\"", 1);
        family(b, "rollgate_controller_passes_total", "counter", "Controller passes by service.");
        passes.forEach((service, n) -> sample(b, "rollgate_controller_passes_total", service, "", n));
        family(b, "rollgate_replicas", "gauge", "Replicas by service and state.");
        for (ServiceView v : views) {
            sample(b, "rollgate_replicas", v.name(), ",state=\"desired\"", v.status().desired());
            sample(b, "rollgate_replicas", v.name(), ",state=\"updated\"", v.status().updated());
            sample(b, "rollgate_replicas", v.name(), ",state=\"ready\"", v.status().ready());
            sample(b, "rollgate_replicas", v.name(), ",state=\"available\"", v.status().available());
        }
        return b.toString();
    }

    private static void family(StringBuilder b, String name, String type, String help) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder b, String name, String service, String labels, long value) {
        b.append(name).append("{service=\"").append(service).append('"').append(labels).append("} ").append(value).append('\n');
    }
}
