package dev.rollgate.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;

/** Closed-loop load for the demo: a few clients sending requests back to back until stopped. */
final class Load {

    record Result(long requests, long non2xx, long socketErrors, double p50Millis, double p99Millis) {}

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong requests = new AtomicLong(), non2xx = new AtomicLong(), errors = new AtomicLong();
    private final ConcurrentHistogram latency = new ConcurrentHistogram(60_000_000L, 3);
    private final List<Thread> clients = new ArrayList<>();

    static Load start(int port, int concurrency) {
        Load load = new Load();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build();
        for (int i = 0; i < concurrency; i++) {
            load.clients.add(Thread.ofVirtual().name("demo-load-" + i).start(() -> {
                while (load.running.get()) {
                    long begin = System.nanoTime();
                    try {
                        int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                        if (status / 100 != 2) load.non2xx.incrementAndGet();
                    } catch (Exception e) {
                        load.errors.incrementAndGet();
                    }
                    load.requests.incrementAndGet();
                    load.latency.recordValue(Math.min((System.nanoTime() - begin) / 1000, 60_000_000L));
                }
            }));
        }
        return load;
    }

    Result stop() throws InterruptedException {
        running.set(false);
        for (Thread t : clients) t.join();
        return new Result(requests.get(), non2xx.get(), errors.get(), latency.getValueAtPercentile(50) / 1000.0,
                latency.getValueAtPercentile(99) / 1000.0);
    }
}
