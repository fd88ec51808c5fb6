package dev.rollgate.proxy;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Picks the endpoint for each new request from the current {@link RoutingTable}, which the
 * platform replaces atomically (copy-on-write). Draining is exact: once {@link #drain} has
 * returned its future, no new request can land on that endpoint, and the future completes when
 * the last request that did has finished.
 */
public final class Router {

    /** A table plus the state that goes with it: the weighted choice and round-robin offsets. */
    private record Snapshot(RoutingTable table, SmoothWeighted main, Map<String, AtomicInteger> offsets) {
        static Snapshot of(RoutingTable t) {
            Map<String, Integer> live = new LinkedHashMap<>();
            t.weights().forEach((rev, w) -> {
                if (!t.ready(rev).isEmpty()) live.put(rev, w);
            });
            Map<String, AtomicInteger> offsets = new ConcurrentHashMap<>();
            t.endpoints().keySet().forEach(rev -> offsets.put(rev, new AtomicInteger()));
            return new Snapshot(t, new SmoothWeighted(live), offsets);
        }
    }

    /** A request waiting for any ready endpoint; run on its own event loop. {@code gone}: it stopped waiting. */
    private record Waiter(EventLoop loop, Runnable retry, BooleanSupplier gone) {}

    private final ProxyMetrics metrics;
    private final AtomicReference<Snapshot> current = new AtomicReference<>(Snapshot.of(RoutingTable.EMPTY));
    private final Map<String, EndpointState> states = new ConcurrentHashMap<>();
    private final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waitersAdded = new AtomicInteger();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rollgate-drain-timer");
        t.setDaemon(true);
        return t;
    });

    private final Consumer<String> cutter;
    private final Outliers outliers;

    /** {@code cutter} closes the upstream connections still serving requests to an endpoint. */
    Router(ProxyMetrics metrics, Consumer<String> cutter) {
        this.metrics = metrics;
        this.cutter = cutter;
        this.outliers = new Outliers(states, this::table, metrics);
    }

    /** Each replica's failures in a row, and its ejections. */
    Outliers outliers() {
        return outliers;
    }

    public RoutingTable table() {
        return current.get().table();
    }

    /** Replaces the table; endpoints that left it are not drained here (see {@link #drain}). */
    public synchronized void update(RoutingTable table) {
        for (List<Endpoint> list : table.endpoints().values()) {
            for (Endpoint e : list) {
                EndpointState s = states.computeIfAbsent(e.id(), id -> new EndpointState(e, metrics));
                if (s.draining && s.endpoint.equals(e)) {
                    s.draining = false; // back in the table: it takes traffic again
                }
                if (!s.endpoint.equals(e)) states.put(e.id(), new EndpointState(e, metrics));
            }
        }
        current.set(Snapshot.of(table));
        if (!waiters.isEmpty()) {
            List<Waiter> woken = new ArrayList<>();
            Waiter w;
            while ((w = waiters.poll()) != null) woken.add(w);
            woken.stream().filter(x -> !x.gone().getAsBoolean()).forEach(x -> x.loop().execute(x.retry()));
        }
    }

    /**
     * Takes the endpoint out of the table; the future completes when its last in-flight request
     * has finished, or at {@code timeout}, when what is left is cut (its upstream connections closed).
     */
    public CompletableFuture<DrainResult> drain(String endpointId, Duration timeout) {
        long begin = System.nanoTime();
        EndpointState state;
        synchronized (this) {
            state = states.get(endpointId);
            if (state == null) return CompletableFuture.completedFuture(new DrainResult(null, Duration.ZERO, 0));
            state.idle = new CompletableFuture<>();
            state.draining = true; // set before the swap: a request that counted itself in after this sees it
            RoutingTable t = table();
            if (t.contains(state.endpoint)) current.set(Snapshot.of(t.without(state.endpoint)));
        }
        if (state.inFlight.get() == 0) state.idle.complete(null);
        CompletableFuture<DrainResult> result = new CompletableFuture<>();
        var timeoutTask = timer.schedule(() -> {
            // Report first, then cut: closing lets those requests end, and that would complete the drain as "idle".
            result.complete(new DrainResult(state.endpoint, Duration.ofNanos(System.nanoTime() - begin), state.inFlight.get()));
            cutter.accept(endpointId);
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        state.idle.thenRun(() -> {
            timeoutTask.cancel(false);
            result.complete(new DrainResult(state.endpoint, Duration.ofNanos(System.nanoTime() - begin), 0));
        });
        return result;
    }

    /** Forgets an endpoint that has been drained and whose replica is gone. */
    public void forget(String endpointId) {
        EndpointState s = states.get(endpointId);
        if (s != null && s.draining && s.inFlight.get() == 0) states.remove(endpointId);
    }

    public int inFlight(String endpointId) {
        EndpointState s = states.get(endpointId);
        return s == null ? 0 : s.inFlight.get();
    }

    /** What a request asks for: the listener it came in on, and a revision a match route or cookie chose. */
    record Want(boolean preview, String revision) {}

    /**
     * The route of a request with {@code headers}: the preview listener's, else the first match
     * route whose revision has a ready endpoint, else the revision its sticky cookie names (while
     * that revision has weight and a ready endpoint), else the weights.
     */
    Want choose(HttpHeaders headers, boolean preview) {
        if (preview) return new Want(true, null);
        RoutingTable t = table();
        for (MatchRoute r : t.routes()) {
            if (r.matches(headers) && hasReady(r.revision())) return new Want(false, r.revision());
        }
        if (t.stickyCookie() != null) {
            String rev = Cookies.get(headers, t.stickyCookie());
            if (rev != null && t.weights().getOrDefault(rev, 0) > 0 && hasReady(rev)) return new Want(false, rev);
        }
        return new Want(false, null);
    }

    /** The revision a response must pin with the sticky cookie: {@code picked}'s, unless the request's cookie names it already. */
    String stickTo(HttpHeaders headers, EndpointState picked) {
        String cookie = table().stickyCookie();
        if (cookie == null || picked.endpoint.revision().equals(Cookies.get(headers, cookie))) return null;
        return picked.endpoint.revision();
    }

    /**
     * Picks and counts in an endpoint, or returns null when none is ready for this request.
     * {@code exclude} holds endpoints that already failed for this request.
     */
    EndpointState pick(Want want, Collection<String> exclude) {
        for (int attempt = 0; attempt < 8; attempt++) {
            Snapshot s = current.get();
            String revision = want.revision() != null ? want.revision()
                    : want.preview() ? s.table().preview() : s.main().next();
            if (revision == null) return null;
            EndpointState chosen = leastLoaded(s, revision, exclude);
            if (chosen == null && want.revision() == null && !want.preview()) {
                chosen = anyOther(s, exclude); // the chosen revision has nothing left for this request
            }
            if (chosen == null) return null;
            if (chosen.tryAcquire()) return chosen;
            // It began draining between the read of the table and the count: pick again from the new table.
        }
        return null;
    }

    /**
     * The ready endpoint of {@code revision} with the fewest requests in flight, from a rotating
     * start. An ejected one is taken only when every other is ejected too (Envoy's panic mode).
     */
    private EndpointState leastLoaded(Snapshot s, String revision, Collection<String> exclude) {
        List<Endpoint> ready = s.table().ready(revision);
        int n = ready.size();
        if (n == 0) return null;
        AtomicInteger offset = s.offsets().get(revision);
        int start = offset == null ? 0 : Math.floorMod(offset.getAndIncrement(), n);
        EndpointState best = null;
        EndpointState bestEjected = null;
        int bestLoad = Integer.MAX_VALUE;
        long now = 0;
        for (int i = 0; i < n; i++) {
            Endpoint e = ready.get((start + i) % n);
            if (exclude.contains(e.id())) continue;
            EndpointState st = states.get(e.id());
            if (st == null || st.draining) continue;
            if (st.ejectedUntilNanos != 0) {
                if (now == 0) now = System.nanoTime();
                if (st.ejected(now)) {
                    if (bestEjected == null || st.inFlight.get() < bestEjected.inFlight.get()) bestEjected = st;
                    continue;
                }
            }
            int load = st.inFlight.get();
            if (load < bestLoad) {
                best = st;
                bestLoad = load;
            }
        }
        return best != null ? best : bestEjected;
    }

    private EndpointState anyOther(Snapshot s, Collection<String> exclude) {
        for (String revision : s.table().weights().keySet()) {
            if (s.table().weights().get(revision) <= 0) continue;
            EndpointState e = leastLoaded(s, revision, exclude);
            if (e != null) return e;
        }
        return null;
    }

    boolean hasReady(String revision) {
        return !table().ready(revision).isEmpty();
    }

    /** Requests waiting for a ready endpoint. */
    int waiting() {
        return (int) waiters.stream().filter(w -> !w.gone().getAsBoolean()).count();
    }

    /**
     * Runs {@code retry} on {@code loop} at the next table update, unless {@code gone} says the
     * request stopped waiting (it timed out with 503, or its client left). Those are swept out now
     * and then, so a long time without any ready endpoint does not pile them up.
     */
    void awaitUpdate(EventLoop loop, Runnable retry, BooleanSupplier gone) {
        waiters.add(new Waiter(loop, retry, gone));
        if (waitersAdded.incrementAndGet() % 1024 == 0) waiters.removeIf(w -> w.gone().getAsBoolean());
    }

    void close() {
        timer.shutdownNow();
    }
}
