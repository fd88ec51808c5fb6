package dev.rollgate.health;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Adapter for the JDK's {@code com.sun.net.httpserver.HttpServer}: serves the health endpoints
 * and tracks in-flight requests of the application's own contexts.
 */
public final class JdkHttpServerHealth {

    private JdkHttpServerHealth() {}

    /**
     * Serves {@code /health}, {@code /health/started}, {@code /health/ready}, {@code /health/live}
     * (MicroProfile JSON; 200 UP, 503 DOWN, 500 when the report itself fails) and
     * {@code /health/metrics} (Prometheus text).
     */
    public static HttpContext serve(HttpServer server, Health health, boolean details) {
        return server.createContext("/health", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                    send(exchange, 405, "text/plain", "GET only\n");
                    return;
                }
                if (path.equals("/health/metrics")) {
                    send(exchange, 200, "text/plain; version=0.0.4", HealthMetrics.prometheus(health));
                    return;
                }
                HealthReport report;
                try {
                    report = switch (path) {
                        case "/health", "/health/" -> health.overall();
                        case "/health/started" -> health.report(HealthGroup.STARTUP);
                        case "/health/ready" -> health.report(HealthGroup.READINESS);
                        case "/health/live" -> health.report(HealthGroup.LIVENESS);
                        default -> null;
                    };
                } catch (RuntimeException e) {
                    send(exchange, 500, "application/json", "{\"status\":\"DOWN\",\"checks\":[{\"name\":\"" + e.getClass().getSimpleName()
                            + "\",\"status\":\"DOWN\"}]}");
                    return;
                }
                if (report == null) {
                    send(exchange, 404, "text/plain", "no such health endpoint\n");
                    return;
                }
                send(exchange, report.status() == Status.UP ? 200 : 503, "application/json", HealthJson.write(report, details));
            }
        });
    }

    /** A filter for the application's contexts that counts their requests as in flight. */
    public static Filter inFlightFilter(InFlight inFlight) {
        return new Filter() {
            @Override
            public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                inFlight.begin();
                try {
                    chain.doFilter(exchange);
                } finally {
                    inFlight.end();
                }
            }

            @Override
            public String description() {
                return "rollgate in-flight tracking";
            }
        };
    }

    /**
     * Closes the server's listening socket at once and lets {@code HttpServer.stop} finish in the
     * background (it waits for open exchanges up to {@code drainTimeout}, then closes connections).
     */
    public static Runnable stopAccepting(HttpServer server, Duration drainTimeout) {
        return () -> Thread.ofPlatform().name("http-server-stop").start(() -> server.stop((int) Math.max(1, drainTimeout.toSeconds() + 1)));
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
