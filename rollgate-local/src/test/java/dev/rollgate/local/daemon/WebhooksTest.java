package dev.rollgate.local.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.rollgate.spec.Webhook;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A receiver that stalls costs only its own deliveries, each ending in a WebhookFailed at the deadline. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebhooksTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer good, stalled;

    @AfterEach
    void stop() {
        release.countDown();
        if (good != null) good.stop(0);
        if (stalled != null) stalled.stop(0);
    }

    private HttpServer server(List<String> received, boolean stall) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        s.createContext("/", ex -> {
            received.add(new String(ex.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, 100);
            ex.getResponseBody().write("{\"ok\":".getBytes()); // the head and a little of the body, then nothing
            ex.getResponseBody().flush();
            try {
                if (stall) release.await();
                ex.getResponseBody().write(" ".repeat(94).getBytes());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        s.start();
        return s;
    }

    @Test
    void aStalledReceiverDoesNotHoldUpTheOthersAndEachFailureIsReported() throws Exception {
        List<String> toGood = new CopyOnWriteArrayList<>(), toStalled = new CopyOnWriteArrayList<>(), failures = new CopyOnWriteArrayList<>();
        good = server(toGood, false);
        stalled = server(toStalled, true);
        List<Webhook> hooks = List.of(new Webhook("http://127.0.0.1:" + stalled.getAddress().getPort() + "/", List.of()),
                new Webhook("http://127.0.0.1:" + good.getAddress().getPort() + "/", List.of()));
        try (Webhooks webhooks = new Webhooks(Duration.ofMillis(500))) {
            for (int i = 0; i < 5; i++) {
                webhooks.send(hooks, "web", "StepCompleted", "Normal", "step " + i, Map.of(), (url, why) -> failures.add(url + " " + why));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> toGood.size() == 5);
            assertThat(toGood.get(4)).contains("\"message\":\"step 4\"");
            await().atMost(Duration.ofSeconds(20)).until(() -> failures.size() == 5);
            assertThat(failures).allMatch(f -> f.startsWith(hooks.getFirst().url()) && f.contains("no whole answer within 500 ms"));
            assertThat(toStalled).hasSize(5).last().asString().contains("step 4");
        }
    }

    @Test
    void aUrlTheClientRefusesIsAFailedDeliveryNotAFailedPass() throws Exception {
        List<String> toGood = new CopyOnWriteArrayList<>(), failures = new CopyOnWriteArrayList<>();
        good = server(toGood, false);
        List<Webhook> hooks = List.of(new Webhook("http://h.test/<x>", List.of()),
                new Webhook("http://127.0.0.1:" + good.getAddress().getPort() + "/", List.of()));
        try (Webhooks webhooks = new Webhooks(Duration.ofMillis(500))) {
            webhooks.send(hooks, "web", "RolloutStarted", "Normal", "started", Map.of(), (url, why) -> failures.add(url + " " + why));
            assertThat(failures).containsExactly("http://h.test/<x> not a URL the HTTP client takes: Illegal character in path at index 14: http://h.test/<x>");
            await().atMost(Duration.ofSeconds(5)).until(() -> toGood.size() == 1);
        }
    }
}
