package dev.rollgate.local.daemon;

import dev.rollgate.spec.Webhook;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * POSTs a service's rollout events to its webhooks as JSON, one at a time in the order they
 * happened, on a thread of its own: a slow or broken receiver never holds up the rollout, and a
 * failure is recorded as an event of its own.
 */
final class Webhooks implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final java.util.concurrent.ExecutorService sender =
            java.util.concurrent.Executors.newSingleThreadExecutor(Thread.ofVirtual().name("webhooks").factory());

    /**
     * @param failed called with the URL and the reason when a delivery fails
     */
    void send(List<Webhook> hooks, String service, String reason, String type, String message, Map<String, Object> details,
                     BiConsumer<String, String> failed) {
        if (!Webhook.EVENTS.contains(reason)) return;
        for (Webhook hook : hooks) {
            if (!hook.events().isEmpty() && !hook.events().contains(reason)) continue;
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("service", service);
            body.put("event", reason);
            body.put("type", type);
            body.put("message", message);
            body.put("time", Instant.now().toString());
            body.putAll(details);
            HttpRequest request = HttpRequest.newBuilder(URI.create(hook.url())).timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/json").header("User-Agent", "rollgate")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build();
            sender.execute(() -> {
                try {
                    HttpResponse<Void> r = HTTP.send(request, HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() / 100 != 2) failed.accept(hook.url(), "answered " + r.statusCode());
                } catch (java.io.IOException e) {
                    failed.accept(hook.url(), e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    @Override
    public void close() {
        sender.shutdown();
    }
}
