package dev.rollgate.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * HTTP load (a GET of one URL, or a list of requests in turn) from a few clients on virtual threads: closed loop (each client sends as soon as
 * its last answer came back) or, with a rate, an open loop that times each request from when it
 * was due, so a stalled server cannot hide its stall by slowing the client (coordinated omission).
 * Used by {@code rollgate load}, the demo, and the analysis provider that drives load at a quiet
 * service's revisions.
 */
public final class Load {

    private static final long MAX_MICROS = 3_600_000_000L;

    public record Result(Map<Integer, Long> statuses, Map<String, Long> errors, Histogram latencyMicros, double seconds) {
        public long socketErrors() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }

        public long non2xx() {
            return statuses.entrySet().stream().filter(e -> e.getKey() / 100 != 2).mapToLong(Map.Entry::getValue).sum();
        }

        public long requests() {
            return statuses.values().stream().mapToLong(Long::longValue).sum() + socketErrors();
        }

        public double millis(double percentile) {
            return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final ConcurrentHistogram latency = new ConcurrentHistogram(MAX_MICROS, 3);
    private final List<Thread> clients = new ArrayList<>();
    private final long start = System.nanoTime();

    /** Starts sending until {@code length} has passed (null: until {@link #stop()}); {@code rate} null means closed loop. */
    public static Load start(URI uri, int concurrency, Double rate, Duration length) {
        return start(List.of(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build()), concurrency, rate, length);
    }

    /** The same with {@code requests} sent in turn, whichever client sends next. */
    public static Load start(List<HttpRequest> requests, int concurrency, Double rate, Duration length) {
        if (requests.isEmpty()) throw new IllegalArgumentException("no request to send");
        Load load = new Load();
        long end = length == null ? Long.MAX_VALUE : load.start + length.toNanos();
        long intervalNanos = rate == null ? 0 : (long) (1e9 / rate);
        AtomicLong ticket = new AtomicLong();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        AtomicLong sent = new AtomicLong();
        for (int i = 0; i < concurrency; i++) {
            load.clients.add(Thread.ofVirtual().name("load-" + i).start(() -> {
                while (load.running.get()) {
                    HttpRequest request = requests.get((int) Math.floorMod(sent.getAndIncrement(), (long) requests.size()));
                    long due;
                    if (rate != null) {
                        due = load.start + ticket.getAndIncrement() * intervalNanos;
                        if (due >= end) return;
                        long wait = due - System.nanoTime();
                        if (wait > 0) LockSupport.parkNanos(wait);
                    } else {
                        due = System.nanoTime();
                        if (due >= end) return;
                    }
                    try {
                        int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                        load.statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        load.errors.computeIfAbsent(e.getClass().getSimpleName(), k -> new LongAdder()).increment();
                    }
                    load.latency.recordValue(Math.min(Math.max(0, (System.nanoTime() - due) / 1000), MAX_MICROS));
                }
            }));
        }
        return load;
    }

    /** Waits for the clients to finish their scheduled requests. */
    public Result await() throws InterruptedException {
        for (Thread t : clients) t.join();
        return result();
    }

    /** Stops sending new requests and waits for the ones in flight. */
    public Result stop() throws InterruptedException {
        running.set(false);
        return await();
    }

    private Result result() {
        Map<Integer, Long> s = new TreeMap<>();
        statuses.forEach((k, v) -> s.put(k, v.sum()));
        Map<String, Long> e = new TreeMap<>();
        errors.forEach((k, v) -> e.put(k, v.sum()));
        return new Result(s, e, latency.copy(), (System.nanoTime() - start) / 1e9);
    }
}
