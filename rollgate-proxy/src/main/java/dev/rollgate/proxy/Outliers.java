package dev.rollgate.proxy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Each replica's failures in a row, counted as its requests end, and its ejection from routing
 * when they reach the service's threshold ({@link OutlierDetection}). The count is one atomic
 * per replica; only an ejection takes a lock, to count what its revision has out already.
 */
final class Outliers {

    private final Map<String, EndpointState> states;
    private final Supplier<RoutingTable> table;
    private final ProxyMetrics metrics;
    private volatile OutlierDetection settings = OutlierDetection.DEFAULT;
    private long sequence;

    Outliers(Map<String, EndpointState> states, Supplier<RoutingTable> table, ProxyMetrics metrics) {
        this.states = states;
        this.table = table;
        this.metrics = metrics;
    }

    void settings(OutlierDetection s) {
        settings = s == null ? OutlierDetection.DEFAULT : s;
    }

    /** A request on {@code e} ended: {@code failed} when it got a 5xx, no connection, or no answer in time. */
    void observe(EndpointState e, boolean failed) {
        if (!failed) {
            if (e.failuresInARow.get() != 0) e.failuresInARow.set(0);
            return;
        }
        OutlierDetection s = settings;
        int inARow = e.failuresInARow.incrementAndGet();
        if (!s.enabled() || inARow < s.consecutiveErrors()) return;
        eject(e, inARow, s);
    }

    private synchronized void eject(EndpointState e, int inARow, OutlierDetection s) {
        long now = System.nanoTime();
        if (e.ejected(now)) return;
        List<Endpoint> siblings = table.get().ready(e.endpoint.revision());
        if (!siblings.contains(e.endpoint)) return; // left the table meanwhile
        int out = 0;
        for (Endpoint sibling : siblings) {
            EndpointState st = states.get(sibling.id());
            if (st != null && st.ejected(now)) out++;
        }
        if (!s.ejects(inARow, siblings.size(), out)) return;
        int number = s.nextNumber(e.ejections, e.backSinceNanos == 0 ? null : Duration.ofNanos(now - e.backSinceNanos));
        Duration time = s.ejectionTime(number);
        e.ejections = number;
        e.backSinceNanos = now + time.toNanos();
        e.failuresInARow.set(0);
        e.ejectedUntilNanos = now + time.toNanos();
        metrics.ejected(new Ejection(++sequence, e.endpoint.id(), e.endpoint.revision(), inARow, number, Instant.now(), time.toSeconds()));
    }
}
