package dev.rollgate.local.daemon;

import dev.rollgate.local.store.Store;
import dev.rollgate.spec.Durations;
import dev.rollgate.stats.DeliveryStats;
import dev.rollgate.view.EventRow;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/** {@code rollgate stats}: the DORA figures of each service from the events in the store, and the same as Prometheus gauges. */
public final class DeliveryFigures {

    /** The events the figures are made of. */
    static final List<String> REASONS = List.of("RolloutStarted", "RolloutCompleted", "RolloutAborted", "BakeRolledBack", "RollbackStarted");
    /** /metrics looks back this far. */
    static final Duration METRICS_PERIOD = Duration.ofDays(30);

    private DeliveryFigures() {}

    /** A look-back period: whole days ({@code 30d}) or a duration as specs write one ({@code 24h}, {@code 90m}); empty when neither or not positive. */
    public static Optional<Duration> period(String text) {
        Optional<Duration> d = text.matches("\\d{1,5}d")
                ? Optional.of(Duration.ofDays(Long.parseLong(text.substring(0, text.length() - 1))))
                : Durations.parse(text);
        return d.filter(p -> !p.isNegative() && !p.isZero());
    }

    static DeliveryStats.Figures of(Store store, String service, Instant since, Instant until) throws SQLException {
        List<DeliveryStats.Event> events = new ArrayList<>();
        for (EventRow e : store.events(service, REASONS)) events.add(new DeliveryStats.Event(e.time(), e.reason(), e.message()));
        return DeliveryStats.of(service, events, since, until);
    }

    /** The figures over the last 30 days as gauges, one sample per service; a figure not measured yet is left out. */
    static String prometheus(List<DeliveryStats.Figures> figures) {
        StringBuilder b = new StringBuilder();
        gauge(b, "rollgate_deployments_per_day", "Successful deployments per day over the last 30 days (DORA deployment frequency).",
                figures, f -> f.perDay());
        gauge(b, "rollgate_deployment_lead_time_seconds", "Median time from apply to completed over the last 30 days (DORA lead time).",
                figures, f -> seconds(f.leadTimeMedian()));
        gauge(b, "rollgate_change_failure_ratio", "Deployments aborted, rolled back in their bake or undone, over those finished"
                + " in the last 30 days (DORA change-failure rate).", figures, DeliveryStats.Figures::changeFailureRate);
        gauge(b, "rollgate_time_to_restore_seconds", "Median time from a failed deployment's start until every user was back on a good"
                + " revision, over the last 30 days (DORA time to restore).", figures, f -> seconds(f.timeToRestoreMedian()));
        return b.toString();
    }

    private static void gauge(StringBuilder b, String name, String help, List<DeliveryStats.Figures> figures,
                              Function<DeliveryStats.Figures, Double> value) {
        b.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" gauge\n");
        for (DeliveryStats.Figures f : figures) {
            Double v = value.apply(f);
            if (v != null) b.append(name).append("{service=\"").append(f.service()).append("\"} ").append(String.format(Locale.ROOT, "%.3f", v)).append('\n');
        }
    }

    private static Double seconds(Duration d) {
        return d == null ? null : d.toMillis() / 1000.0;
    }
}
