package dev.rollgate.proxy;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/** Every request counted per revision and per endpoint, queryable by window and written as Prometheus text. */
public final class ProxyMetrics implements TrafficMetrics, AutoCloseable {

    private final Map<String, SlidingWindow> revisions = new ConcurrentHashMap<>();
    private final Map<String, MirrorStats> mirrors = new ConcurrentHashMap<>();
    private final Map<String, SlidingWindow> endpoints = new ConcurrentHashMap<>();
    private final Map<String, String> endpointRevision = new ConcurrentHashMap<>();
    private final ArrayDeque<Ejection> ejections = new ArrayDeque<>();
    private final Map<String, Long> ejectionTotals = new TreeMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rollgate-metrics-tick");
        t.setDaemon(true);
        return t;
    });

    public ProxyMetrics() {
        long delay = 1000 - System.currentTimeMillis() % 1000;
        ticker.scheduleAtFixedRate(this::tick, delay, 1000, TimeUnit.MILLISECONDS);
    }

    SlidingWindow revision(String revision) {
        return revisions.computeIfAbsent(revision, r -> new SlidingWindow());
    }

    SlidingWindow endpoint(Endpoint e) {
        endpointRevision.putIfAbsent(e.id(), e.revision());
        return endpoints.computeIfAbsent(e.id(), id -> new SlidingWindow());
    }

    /** Closes the second that just ended in every window. */
    void tick() {
        long second = Instant.now().getEpochSecond() - 1;
        revisions.values().forEach(w -> w.tick(second));
        endpoints.values().forEach(w -> w.tick(second));
    }

    @Override
    public WindowStats forRevision(String revision, int seconds) {
        return revision(revision).window(seconds, Instant.now().getEpochSecond());
    }

    @Override
    public WindowStats forEndpoint(String endpointId, int seconds) {
        SlidingWindow w = endpoints.get(endpointId);
        return w == null ? new SlidingWindow().window(seconds, 0) : w.window(seconds, Instant.now().getEpochSecond());
    }

    @Override
    public List<SecondStats> series(String revision, int seconds) {
        SlidingWindow w = revisions.get(revision);
        return w == null ? List.of() : w.perSecond(seconds, Instant.now().getEpochSecond());
    }

    MirrorStats mirror(String revision) {
        return mirrors.computeIfAbsent(revision, r -> new MirrorStats());
    }

    @Override
    public MirrorView mirrored(String revision) {
        MirrorStats m = mirrors.get(revision);
        return m == null ? MirrorView.NONE : m.view();
    }

    /** A replica was ejected ({@link Outliers}). */
    synchronized void ejected(Ejection e) {
        if (ejections.size() == EJECTIONS_KEPT) ejections.removeFirst();
        ejections.addLast(e);
        ejectionTotals.merge(e.endpoint(), 1L, Long::sum);
        endpointRevision.putIfAbsent(e.endpoint(), e.revision());
    }

    @Override
    public synchronized List<Ejection> ejections() {
        return List.copyOf(ejections);
    }

    @Override
    public Set<String> revisions() {
        return Set.copyOf(revisions.keySet());
    }

    @Override
    public double[] latencySample(String revision, int seconds, int max) {
        return revision(revision).latencySample(seconds, Instant.now().getEpochSecond(), max);
    }

    @Override
    public long total(String revision, int statusClass) {
        return revision(revision).total(statusClass);
    }

    @Override
    public long retries(String revision) {
        return revision(revision).retries();
    }

    @Override
    public long socketErrors(String revision) {
        return revision(revision).socketErrors();
    }

    @Override
    public String prometheus() {
        StringBuilder b = new StringBuilder(2048);
        long now = Instant.now().getEpochSecond();
        b.append("# HELP rollgate_proxy_requests_total Responses by revision, endpoint and status class.\n");
        b.append("# TYPE rollgate_proxy_requests_total counter\n");
        for (var e : new TreeMap<>(endpoints).entrySet()) {
            for (int c = 1; c <= 5; c++) {
                b.append("rollgate_proxy_requests_total{revision=\"").append(endpointRevision.get(e.getKey()))
                        .append("\",endpoint=\"").append(e.getKey()).append("\",code=\"").append(c).append("xx\"} ")
                        .append(e.getValue().total(c)).append('\n');
            }
        }
        counter(b, "rollgate_proxy_socket_errors_total", "Requests that failed on the socket (no status).", SlidingWindow::socketErrors);
        counter(b, "rollgate_proxy_retries_total", "Requests retried on another endpoint or masked on stable.", SlidingWindow::retries);
        b.append("# HELP rollgate_proxy_in_flight Requests being served now.\n# TYPE rollgate_proxy_in_flight gauge\n");
        for (var e : new TreeMap<>(endpoints).entrySet()) {
            b.append("rollgate_proxy_in_flight{revision=\"").append(endpointRevision.get(e.getKey())).append("\",endpoint=\"")
                    .append(e.getKey()).append("\"} ").append(e.getValue().inFlight.get()).append('\n');
        }
        b.append("# HELP rollgate_proxy_latency_seconds Latency quantiles per revision over the last 60 s.\n");
        b.append("# TYPE rollgate_proxy_latency_seconds summary\n");
        for (var e : new TreeMap<>(revisions).entrySet()) {
            WindowStats w = e.getValue().window(60, now);
            double[][] qs = {{0.5, w.p50()}, {0.9, w.p90()}, {0.99, w.p99()}, {0.999, w.p999()}};
            for (double[] q : qs) {
                if (Double.isNaN(q[1])) continue;
                b.append("rollgate_proxy_latency_seconds{revision=\"").append(e.getKey()).append("\",quantile=\"")
                        .append(q[0]).append("\"} ").append(String.format(Locale.ROOT, "%.6f", q[1] / 1000)).append('\n');
            }
        }
        ejections(b);
        mirrorCounter(b, "rollgate_proxy_mirrored_total", "Copies of requests sent to a revision by a mirror route.", MirrorView::mirrored);
        mirrorCounter(b, "rollgate_proxy_mirror_dropped_total", "Requests not mirrored because too many copies were in flight.",
                MirrorView::dropped);
        mirrorCounter(b, "rollgate_proxy_mirror_pairs_total", "Mirrored answers paired with the answer the client got.", MirrorView::pairs);
        mirrorCounter(b, "rollgate_proxy_mirror_different_total", "Pairs whose status class (or compared body and headers) differed.",
                MirrorView::different);
        return b.toString();
    }

    /** Ejections per endpoint since start, and whether each is out of routing now; nothing until a first ejection. */
    private synchronized void ejections(StringBuilder b) {
        if (ejectionTotals.isEmpty()) return;
        Map<String, Instant> until = new TreeMap<>();
        ejections.forEach(e -> until.put(e.endpoint(), e.until()));
        b.append("# HELP rollgate_proxy_ejections_total Replicas taken out of routing for failing requests in a row (outlier detection).\n");
        b.append("# TYPE rollgate_proxy_ejections_total counter\n");
        ejectionTotals.forEach((endpoint, n) -> b.append("rollgate_proxy_ejections_total{revision=\"").append(endpointRevision.get(endpoint))
                .append("\",endpoint=\"").append(endpoint).append("\"} ").append(n).append('\n'));
        b.append("# HELP rollgate_proxy_ejected Whether the endpoint is out of routing now (1) for its own failures.\n");
        b.append("# TYPE rollgate_proxy_ejected gauge\n");
        Instant now = Instant.now();
        ejectionTotals.keySet().forEach(endpoint -> b.append("rollgate_proxy_ejected{revision=\"").append(endpointRevision.get(endpoint))
                .append("\",endpoint=\"").append(endpoint).append("\"} ")
                .append(until.containsKey(endpoint) && until.get(endpoint).isAfter(now) ? 1 : 0).append('\n'));
    }

    private void mirrorCounter(StringBuilder b, String name, String help, ToLongFunction<MirrorView> value) {
        if (mirrors.isEmpty()) return;
        b.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" counter\n");
        for (var e : new TreeMap<>(mirrors).entrySet()) {
            b.append(name).append("{revision=\"").append(e.getKey()).append("\"} ").append(value.applyAsLong(e.getValue().view())).append('\n');
        }
    }

    private void counter(StringBuilder b, String name, String help, ToLongFunction<SlidingWindow> value) {
        b.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" counter\n");
        for (var e : new TreeMap<>(endpoints).entrySet()) {
            b.append(name).append("{revision=\"").append(endpointRevision.get(e.getKey())).append("\",endpoint=\"")
                    .append(e.getKey()).append("\"} ").append(value.applyAsLong(e.getValue())).append('\n');
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
