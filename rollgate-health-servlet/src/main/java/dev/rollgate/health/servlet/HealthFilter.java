package dev.rollgate.health.servlet;

import dev.rollgate.health.Health;
import dev.rollgate.health.HealthJson;
import dev.rollgate.health.HealthMetrics;
import dev.rollgate.health.HealthReport;
import dev.rollgate.health.InFlight;
import dev.rollgate.health.HealthGroup;
import dev.rollgate.health.Status;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A Servlet filter for Jetty, Tomcat and any Jakarta Servlet 6 container: answers the health
 * endpoints itself (before any other filter or servlet, so they stay cheap and reachable) and
 * counts every other request as in flight until it completes, asynchronous ones included.
 */
public final class HealthFilter implements Filter {

    private final Health health;
    private final InFlight inFlight;
    private final boolean details;

    public HealthFilter(Health health, InFlight inFlight, boolean details) {
        this.health = health;
        this.inFlight = inFlight;
        this.details = details;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.equals("/health") || path.startsWith("/health/")) {
            serveHealth(path, request, response);
            return;
        }
        inFlight.begin();
        boolean async = false;
        try {
            chain.doFilter(req, res);
            if (request.isAsyncStarted()) {
                async = true;
                request.getAsyncContext().addListener(new AsyncListener() {
                    @Override
                    public void onComplete(AsyncEvent event) {
                        inFlight.end();
                    }

                    @Override
                    public void onTimeout(AsyncEvent event) {}

                    @Override
                    public void onError(AsyncEvent event) {}

                    @Override
                    public void onStartAsync(AsyncEvent event) {}
                });
            }
        } finally {
            if (!async) inFlight.end();
        }
    }

    private void serveHealth(String path, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
            response.sendError(405);
            return;
        }
        response.setHeader("Cache-Control", "no-store");
        if (path.equals("/health/metrics")) {
            write(response, 200, "text/plain; version=0.0.4", HealthMetrics.prometheus(health));
            return;
        }
        HealthReport report = switch (path) {
            case "/health", "/health/" -> health.overall();
            case "/health/started" -> health.report(HealthGroup.STARTUP);
            case "/health/ready" -> health.report(HealthGroup.READINESS);
            case "/health/live" -> health.report(HealthGroup.LIVENESS);
            default -> null;
        };
        if (report == null) {
            response.sendError(404);
            return;
        }
        write(response, report.status() == Status.UP ? 200 : 503, "application/json", HealthJson.write(report, details));
    }

    private static void write(HttpServletResponse response, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(type);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
