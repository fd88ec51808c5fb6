package dev.rollgate.proxy;

import java.util.List;
import java.util.Set;

/**
 * What a service's proxy counted, per revision and per endpoint, wherever the proxy runs: in this
 * process ({@link ProxyMetrics}) or in the data plane process that outlives the daemon.
 */
public interface TrafficMetrics {

    /** The last {@code seconds} whole seconds of a revision. */
    WindowStats forRevision(String revision, int seconds);

    WindowStats forEndpoint(String endpointId, int seconds);

    /** Per-second numbers of a revision over the last {@code seconds} (at most 300), oldest first; seconds without traffic are left out. */
    List<SecondStats> series(String revision, int seconds);

    /** The revisions that have served anything since the proxy started. */
    Set<String> revisions();

    /** Latencies in ms of a revision over the last {@code seconds}, at most {@code max} values spread over the distribution. */
    double[] latencySample(String revision, int seconds, int max);

    /** Responses of a status class (1 to 5) since start: exact counts now rather than whole seconds. */
    long total(String revision, int statusClass);

    long retries(String revision);

    long socketErrors(String revision);

    /** What mirroring copies of requests to {@code revision} saw, paired with the answers clients got. */
    MirrorView mirrored(String revision);

    /** The latest ejections of replicas for their own failures (at most {@link #EJECTIONS_KEPT}), oldest first. */
    List<Ejection> ejections();

    /** How many ejections a proxy keeps for its readers. */
    int EJECTIONS_KEPT = 64;

    /** Prometheus text: counters since start, in-flight gauges, latency quantiles over the last 60 s. */
    String prometheus();
}
