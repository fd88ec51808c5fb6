package dev.rollgate.local.analysis;

import dev.rollgate.analysis.MetricSource;
import dev.rollgate.proxy.MirrorView;
import dev.rollgate.proxy.TrafficMetrics;
import dev.rollgate.proxy.WindowStats;
import java.time.Duration;

/** The embedded platform's metric source: what the service's proxy counted per revision, in this process or the data plane. */
public record ProxyMetricSource(TrafficMetrics metrics) implements MetricSource {

    @Override
    public Totals totals(String revision) {
        long answered = 0;
        for (int c = 1; c <= 5; c++) answered += metrics.total(revision, c);
        long socket = metrics.socketErrors(revision);
        return new Totals(answered + socket, metrics.total(revision, 5) + socket);
    }

    @Override
    public Mirrored mirrored(String revision) {
        MirrorView v = metrics.mirrored(revision);
        return new Mirrored(v.mirrored(), v.dropped(), v.pairs(), v.canaryErrors(), v.stableErrors(), v.different(), v.canaryLatencyMs(),
                v.stableLatencyMs());
    }

    @Override
    public Window window(String revision, Duration window) {
        WindowStats w = metrics.forRevision(revision, seconds(window));
        return new Window(w.requests() + w.socketErrors(), w.successRate(), w.p50(), w.p90(), w.p99(), w.p999());
    }

    @Override
    public double[] latencySample(String revision, Duration window, int max) {
        return metrics.latencySample(revision, seconds(window), max);
    }

    private static int seconds(Duration window) {
        return (int) Math.max(1, window.toSeconds());
    }
}
