package dev.rollgate.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small upstream on loopback: {@code /} names itself, {@code /slow?ms=N} holds the request,
 * {@code /hold} holds it until {@link #release} opens (at most a minute),
 * {@code /status?code=N} answers that status, {@code /echo} returns the body, {@code /headers}
 * lists the request headers it received, {@code /bytes?n=N} sends N bytes, {@code /text?n=N} N lines of plain text.
 */
final class TestUpstream implements AutoCloseable {

    final String name;
    final HttpServer server;
    final AtomicInteger hits = new AtomicInteger();
    /** Every request body read whole (a connection dropped mid-body leaves none). */
    final java.util.List<String> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The request targets as they arrived, undecoded. */
    final java.util.List<String> targets = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile int failWith; // when not 0, every "/" answers this status
    /** Opened by a test when its steps are done: every {@code /hold} request then answers. */
    final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

    TestUpstream(String name) throws IOException {
        this.name = name;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    Endpoint endpoint(String revision) {
        return new Endpoint(name, revision, "127.0.0.1", port());
    }

    private void handle(HttpExchange ex) throws IOException {
        hits.incrementAndGet();
        String path = ex.getRequestURI().getPath();
        String query = ex.getRequestURI().getQuery() == null ? "" : ex.getRequestURI().getQuery();
        byte[] requestBody = ex.getRequestBody().readAllBytes();
        bodies.add(new String(requestBody, StandardCharsets.UTF_8));
        targets.add(ex.getRequestURI().getRawPath() + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery()));
        switch (path) {
            case "/slow" -> {
                try {
                    Thread.sleep(Long.parseLong(query.substring(3)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                send(ex, 200, name);
            }
            case "/hold" -> {
                try {
                    send(ex, release.await(1, java.util.concurrent.TimeUnit.MINUTES) ? 200 : 504, name);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    send(ex, 503, name);
                }
            }
            case "/status" -> send(ex, Integer.parseInt(query.substring(5)), name);
            case "/bytes" -> {
                long n = Long.parseLong(query.substring(2));
                ex.sendResponseHeaders(200, n);
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, (byte) 'x');
                try (OutputStream out = ex.getResponseBody()) {
                    for (long sent = 0; sent < n; sent += chunk.length) out.write(chunk, 0, (int) Math.min(chunk.length, n - sent));
                } catch (IOException reset) {
                    // the proxy dropped a client that read nothing
                }
            }
            case "/echo" -> send(ex, 200, new String(requestBody, StandardCharsets.UTF_8));
            case "/text" -> {
                ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                send(ex, 200, ("a line of plain text from " + name + "\n").repeat(Integer.parseInt(query.substring(2))));
            }
            case "/headers" -> {
                Map<String, String> h = new TreeMap<>();
                ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(), String.join(",", v)));
                StringBuilder b = new StringBuilder();
                h.forEach((k, v) -> b.append(k).append(": ").append(v).append('\n'));
                send(ex, 200, b.toString());
            }
            default -> send(ex, failWith != 0 ? failWith : 200, name);
        }
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
