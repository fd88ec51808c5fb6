package dev.rollgate.health.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rollgate.health.CheckOptions;
import dev.rollgate.health.CheckResult;
import dev.rollgate.health.GracefulShutdown;
import dev.rollgate.health.Health;
import dev.rollgate.health.InFlight;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The filter in a real Jetty 12 on loopback: endpoints, in-flight tracking, a graceful stop. */
class HealthFilterJettyTest {

    final Health health = new Health();
    final InFlight inFlight = new InFlight();
    final HttpClient client = HttpClient.newHttpClient();
    Server server;
    ServerConnector connector;

    /** Opened when the test's steps are done: the slow request answers then, not after a guessed duration. */
    static final CountDownLatch RELEASE = new CountDownLatch(1);

    static final class SlowServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            try {
                if (!RELEASE.await(1, TimeUnit.MINUTES)) resp.setStatus(504);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            resp.getWriter().print("done");
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addFilter(new FilterHolder(new HealthFilter(health, inFlight, true)), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new SlowServlet()), "/slow");
        server.setHandler(context);
        server.start();
        health.register("db", CheckResult::up, CheckOptions.readiness().every(Duration.ofMillis(100)));
        health.start();
    }

    @AfterEach
    void stop() throws Exception {
        health.close();
        server.stop();
    }

    HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + connector.getLocalPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheProbesInMicroProfileFormat() throws Exception {
        assertThat(get("/health/ready").statusCode()).isEqualTo(503);
        health.markStarted();
        await().atMost(Duration.ofSeconds(5)).until(() -> get("/health/ready").statusCode() == 200);
        assertThat(get("/health/ready").body()).contains("{\"name\":\"db\",\"status\":\"UP\"}");
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        assertThat(get("/health/metrics").body()).contains("rollgate_health_check_status{check=\"db\"} 1");
    }

    @Test
    void countsApplicationRequestsAsInFlightAndDrainsThemOnShutdown() throws Exception {
        health.markStarted();
        CompletableFuture<HttpResponse<String>> slow = client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/slow")).build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> inFlight.active() == 1);
        get("/health/ready");
        assertThat(inFlight.active()).as("probes are not application requests").isEqualTo(1);

        List<String> log = new CopyOnWriteArrayList<>();
        GracefulShutdown.Outcome outcome = GracefulShutdown.builder(health, inFlight)
                .propagationDelay(Duration.ofMillis(200))
                .drainTimeout(Duration.ofSeconds(5))
                .budget(Duration.ofSeconds(6))
                .stopAccepting(connector::shutdown)
                .connections(() -> connector.getConnectedEndPoints().size())
                .log(line -> {
                    log.add(line);
                    if (line.startsWith("shutdown: stopped accepting")) RELEASE.countDown(); // the drain has begun
                })
                .build()
                .run();

        assertThat(slow.get(5, TimeUnit.SECONDS).body()).isEqualTo("done");
        assertThat(outcome.requestsCut()).isZero();
        assertThat(log.getFirst()).startsWith("shutdown: readiness DOWN, liveness UP; serving 1 in-flight request(s) on ");
        assertThat(log).contains("shutdown: drained, no request in flight");
    }
}
