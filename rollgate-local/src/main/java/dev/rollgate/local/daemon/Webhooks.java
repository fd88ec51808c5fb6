package dev.rollgate.local.daemon;

import dev.rollgate.http.BoundedHttp;
import dev.rollgate.json.Json;
import dev.rollgate.spec.Webhook;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;

/**
 * POSTs a service's rollout events to its webhooks as JSON, to each receiver in the order they
 * happened, on a thread of that receiver's own: a slow, stalled or broken receiver never holds up
 * the rollout nor the other receivers; each delivery has a deadline for the whole exchange, and a
 * failure is recorded as an event of its own.
 */
public final class Webhooks implements AutoCloseable {

    static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final int MAX_ANSWER = 64 * 1024;

    private final Map<String, ExecutorService> senders = new ConcurrentHashMap<>();
    private final Duration deadline;

    public Webhooks() {
        this(DEADLINE);
    }

    public Webhooks(Duration deadline) {
        this.deadline = deadline;
    }

    /**
     * @param failed called with the URL and the reason when a delivery fails
     */
    public void send(List<Webhook> hooks, String service, String reason, String type, String message, Map<String, Object> details,
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
            HttpRequest request;
            try {
                request = HttpRequest.newBuilder(URI.create(hook.url())).timeout(deadline)
                        .header("Content-Type", "application/json").header("User-Agent", "rollgate")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build();
            } catch (IllegalArgumentException e) {
                // The spec reader refuses such a URL; a state stored before it did must still not stop the service's events.
                failed.accept(hook.url(), "not a URL the HTTP client takes: " + e.getMessage());
                continue;
            }
            senders.computeIfAbsent(hook.url(), url -> Executors.newSingleThreadExecutor(
                    Thread.ofVirtual().name("webhook-" + service).factory())).execute(() -> {
                try {
                    BoundedHttp.Answer r = BoundedHttp.exchange(request, deadline, MAX_ANSWER);
                    if (r.status() / 100 != 2) failed.accept(hook.url(), "answered " + r.status());
                } catch (IOException e) {
                    failed.accept(hook.url(), e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    @Override
    public void close() {
        senders.values().forEach(ExecutorService::shutdown);
    }
}
