package dev.rollgate.local.daemon;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Requests to a service's port in a loop until stopped: counts by status, and by the demo service's version served. */
final class LoadLoop {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Thread thread;

    private LoadLoop(URI uri) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(uri).build();
        thread = Thread.ofVirtual().start(() -> {
            while (running.get()) {
                try {
                    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                    add(String.valueOf(r.statusCode()));
                    String body = r.body();
                    int v = body.indexOf("\"version\":\"");
                    if (v > 0) add(body.substring(v + 11, body.indexOf('"', v + 11)));
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    add("socket-error");
                }
            }
        });
    }

    static LoadLoop start(int port) {
        return new LoadLoop(URI.create("http://127.0.0.1:" + port + "/"));
    }

    static LoadLoop start(URI uri) {
        return new LoadLoop(uri);
    }

    private void add(String key) {
        counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    void stop() throws InterruptedException {
        running.set(false);
        thread.join();
    }

    int count(String key) {
        return counts.getOrDefault(key, new AtomicInteger()).get();
    }

    /** Statuses and versions seen, e.g. {@code 200}, {@code v2}, {@code socket-error}. */
    java.util.Set<String> keys() {
        return java.util.Set.copyOf(counts.keySet());
    }
}
