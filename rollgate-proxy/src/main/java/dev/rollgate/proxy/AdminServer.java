package dev.rollgate.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The proxy's admin port (loopback): {@code /metrics} in Prometheus text, and
 * {@code /stats?revision=R&window=60} as JSON for a quick look.
 */
public final class AdminServer implements AutoCloseable {

    private final HttpServer server;

    public AdminServer(InetSocketAddress address, ProxyMetrics metrics) throws IOException {
        server = HttpServer.create(address, 16);
        server.createContext("/metrics", ex -> send(ex, 200, "text/plain; version=0.0.4", metrics.prometheus()));
        server.createContext("/stats", ex -> {
            String q = ex.getRequestURI().getQuery() == null ? "" : ex.getRequestURI().getQuery();
            String revision = param(q, "revision");
            int window;
            try {
                window = Integer.parseInt(param(q, "window") == null ? "60" : param(q, "window"));
            } catch (NumberFormatException e) {
                send(ex, 400, "text/plain", "window must be a number of seconds\n");
                return;
            }
            if (revision == null) {
                send(ex, 400, "text/plain", "revision is required: /stats?revision=R&window=60\n");
                return;
            }
            WindowStats s = metrics.forRevision(revision, window);
            String json = String.format(Locale.ROOT,
                    "{\"revision\":\"%s\",\"windowSeconds\":%d,\"requests\":%d,\"2xx\":%d,\"4xx\":%d,\"5xx\":%d,\"socketErrors\":%d,"
                            + "\"retries\":%d,\"inFlight\":%d,\"successRate\":%s,\"p50ms\":%s,\"p90ms\":%s,\"p99ms\":%s,\"p999ms\":%s}\n",
                    revision.replace("\"", ""), s.window().toSeconds(), s.requests(), s.status(2), s.status(4), s.status(5),
                    s.socketErrors(), s.retries(), s.inFlight(), num(s.successRate()), num(s.p50()), num(s.p90()), num(s.p99()), num(s.p999()));
            send(ex, 200, "application/json", json);
        });
        server.start();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private static String num(double d) {
        return Double.isNaN(d) ? "null" : String.format(Locale.ROOT, "%.3f", d);
    }

    private static String param(String query, String name) {
        for (String kv : query.split("&")) {
            if (kv.startsWith(name + "=")) return kv.substring(name.length() + 1);
        }
        return null;
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
