package dev.rollgate.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.json.Json;
import dev.rollgate.local.daemon.Daemon;
import dev.rollgate.local.daemon.ServiceController;
import dev.rollgate.local.store.Store;
import dev.rollgate.proxy.SecondStats;
import dev.rollgate.proxy.TrafficMetrics;
import dev.rollgate.rollout.TemplateHash;
import dev.rollgate.view.EventRow;
import dev.rollgate.view.ServiceView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What the dashboard shows, shaped for its charts and tables: per-second numbers of every
 * revision a service's proxy has served, the revisions with their templates, and the one-second
 * snapshot that the live stream sends.
 */
public final class DashboardData {

    private DashboardData() {}

    /** A revision's label in the charts: its number and version when it still exists, else its template hash. */
    record RevisionLabel(int revision, String version) {}

    /**
     * Per-second points per revision hash, each {@code [epochSecond, requests, errors, p50 ms, p99 ms]}
     * (requests counts socket errors too; latencies are null in a second without an answer).
     */
    record Series(long now, Map<String, RevisionLabel> revisions, Map<String, List<Object[]>> points) {}

    /** One revision of {@code rollout history}, with its template for the dashboard's diff. */
    record Revision(int revision, String version, String hash, Instant created, int replicas, boolean current, JsonNode template) {}

    /** One row of the services table: what a person checks first, and the service's last event. */
    record Summary(String name, String phase, int revision, String version, String strategy, String step,
                   Map<String, Integer> weights, int ready, int desired, EventRow lastEvent) {}

    /** What the live stream sends each second: every service, and the chosen one in full with its newest points and events. */
    record Snapshot(long now, List<Summary> services, ServiceView service, Series series, List<EventRow> events) {}

    static Series series(Daemon daemon, String name, int seconds) throws SQLException {
        ServiceController c = daemon.service(name);
        ServiceView view = c.view();
        Map<String, RevisionLabel> labels = new LinkedHashMap<>();
        for (ServiceView.RevisionView r : view.revisions()) labels.put(r.hash(), new RevisionLabel(r.number(), r.version()));
        Map<String, List<Object[]>> points = new LinkedHashMap<>();
        if (c.proxy() != null) try {
            TrafficMetrics m = c.proxy().metrics();
            for (String hash : new TreeSet<>(m.revisions())) {
                List<Object[]> rows = new ArrayList<>();
                for (SecondStats s : m.series(hash, seconds)) {
                    rows.add(new Object[] {s.epochSecond(), s.responses() + s.socketErrors(), s.serverErrors() + s.socketErrors(),
                            finite(s.p50()), finite(s.p99())});
                }
                if (!rows.isEmpty()) points.put(hash, rows);
                labels.putIfAbsent(hash, new RevisionLabel(0, null));
            }
        } catch (UncheckedIOException e) {
            points.clear(); // the data plane is being restarted: no points this second, the next snapshot has them
        }
        return new Series(Instant.now().getEpochSecond(), labels, points);
    }

    static List<Revision> revisions(Daemon daemon, String name) throws SQLException {
        String currentHash = TemplateHash.of(daemon.service(name).rollout().spec().template());
        List<Revision> out = new ArrayList<>();
        for (Store.RevisionRow r : daemon.store().revisions(name)) {
            JsonNode template;
            try {
                template = Json.MAPPER.readTree(r.template());
            } catch (IOException e) {
                throw new IllegalStateException("revision " + r.number() + " of " + name + " has a template the store cannot read", e);
            }
            out.add(new Revision(r.number(), template.path("version").asText(null), r.hash(), r.created(), r.replicas(),
                    r.hash().equals(currentHash), template));
        }
        return out;
    }

    static List<Summary> summaries(Daemon daemon) throws SQLException {
        List<Summary> out = new ArrayList<>();
        for (ServiceView v : daemon.list()) {
            var p = v.status().progressive();
            List<EventRow> last = daemon.store().events(v.name(), 0, 1);
            out.add(new Summary(v.name(), v.phase(), v.status().revision(), v.status().version(), v.strategy(),
                    p == null ? null : p.step(), p == null ? null : p.weights(), v.status().ready(), v.status().desired(),
                    last.isEmpty() ? null : last.getFirst()));
        }
        return out;
    }

    public static Snapshot snapshot(Daemon daemon, String name, long afterEvent) throws SQLException {
        ServiceView view = null;
        Series series = null;
        List<EventRow> events = List.of();
        if (name != null && daemon.has(name)) {
            view = daemon.describe(name);
            series = series(daemon, name, 5);
            events = daemon.store().events(name, afterEvent, 200);
        }
        return new Snapshot(System.currentTimeMillis(), summaries(daemon), view, series, events);
    }

    private static Double finite(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }
}
