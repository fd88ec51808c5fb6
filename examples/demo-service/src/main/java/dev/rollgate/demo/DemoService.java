package dev.rollgate.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP service whose behaviour is set by flags and changed at run time through
 * {@code /control/*}: slow start, readiness that flips, liveness that fails, crashes, a SIGTERM
 * it ignores, a child process of its own. Rollgate's demo and tests run it as a replica.
 */
public final class DemoService {

    private final DemoOptions options;
    private final Instant startedAt = Instant.now();
    private final AtomicBoolean ready = new AtomicBoolean(true);
    private final AtomicBoolean live = new AtomicBoolean(true);
    private final AtomicBoolean shuttingDown = new AtomicBoolean(false);
    private final AtomicInteger inFlight = new AtomicInteger();
    private HttpServer server;

    private DemoService(DemoOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        DemoOptions options;
        try {
            options = DemoOptions.parse(Arrays.asList(args));
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) System.err.println("demo-service: " + e.getMessage());
            System.err.print(DemoOptions.USAGE);
            System.exit(e.getMessage().isEmpty() ? 0 : 2);
            return;
        }
        new DemoService(options).run();
    }

    private void run() throws IOException, InterruptedException {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()), 128);
        } catch (IOException e) {
            System.err.println("demo-service: cannot listen on 127.0.0.1:" + options.port() + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
        log("listening on 127.0.0.1:" + options.port() + " version " + options.version() + " pid " + ProcessHandle.current().pid());
        if (options.spawnChild()) {
            Process child = new ProcessBuilder("sleep", "3600").inheritIO().start();
            log("spawned child pid " + child.pid());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::onSigterm, "sigterm"));
        if (options.crashAfter() != null) {
            Thread.sleep(options.crashAfter());
            log("crashing on purpose after " + options.crashAfter().toMillis() + " ms");
            Runtime.getRuntime().halt(3);
        }
    }

    private void onSigterm() {
        log("SIGTERM received; in-flight " + inFlight.get());
        if (options.ignoreSigterm()) {
            log("ignoring SIGTERM (--ignore-sigterm): only SIGKILL will stop this process");
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException ignored) {
                return;
            }
        }
        shuttingDown.set(true);
        try {
            Thread.sleep(options.shutdownDelay());
        } catch (InterruptedException ignored) {
            // go on closing
        }
        log("closing the listener; waiting up to " + options.drainTimeout().toMillis() + " ms for " + inFlight.get() + " in-flight request(s)");
        server.stop((int) Math.max(1, options.drainTimeout().toSeconds()));
        log("stopped");
    }

    private void handle(HttpExchange ex) throws IOException {
        inFlight.incrementAndGet();
        try {
            URI uri = ex.getRequestURI();
            String path = uri.getPath();
            String query = uri.getQuery() == null ? "" : uri.getQuery();
            switch (path) {
                case "/health/started" -> health(ex, started());
                case "/health/ready" -> health(ex, started() && ready.get() && !options.neverReady() && !shuttingDown.get());
                case "/health/live" -> health(ex, live.get() && !livenessExpired(), 500);
                case "/control/ready" -> control(ex, ready, query);
                case "/control/live" -> control(ex, live, query);
                case "/slow" -> {
                    sleep(Duration.ofMillis(Long.parseLong(query.replaceFirst("^ms=", "").isEmpty() ? "1000" : query.replaceFirst("^ms=", ""))));
                    respond(ex, 200, body());
                }
                case "/" -> {
                    sleep(options.latency());
                    boolean fail = options.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < options.errorRate();
                    respond(ex, fail ? 500 : 200, body());
                }
                default -> respond(ex, 404, "{\"error\":\"not found\"}");
            }
        } catch (RuntimeException e) {
            respond(ex, 400, "{\"error\":\"" + e.getClass().getSimpleName() + "\"}");
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private boolean started() {
        return Duration.between(startedAt, Instant.now()).compareTo(options.startupDelay()) >= 0;
    }

    private boolean livenessExpired() {
        return options.failLivenessAfter() != null
                && Duration.between(startedAt, Instant.now()).compareTo(options.failLivenessAfter()) >= 0;
    }

    private String body() {
        return "{\"version\":\"" + options.version() + "\",\"replica\":\"" + options.replica() + "\",\"pid\":"
                + ProcessHandle.current().pid() + "}";
    }

    private void health(HttpExchange ex, boolean up) throws IOException {
        health(ex, up, 503);
    }

    private void health(HttpExchange ex, boolean up, int downStatus) throws IOException {
        respond(ex, up ? 200 : downStatus, "{\"status\":\"" + (up ? "UP" : "DOWN") + "\"}");
    }

    private void control(HttpExchange ex, AtomicBoolean flag, String query) throws IOException {
        if (query.equals("value=true") || query.equals("value=false")) {
            flag.set(query.endsWith("true"));
            log(ex.getRequestURI().getPath() + " set to " + flag.get());
        }
        respond(ex, 200, "{\"value\":" + flag.get() + "}");
    }

    private static void sleep(Duration d) {
        if (d.isZero()) return;
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void log(String message) {
        System.out.println(Instant.now() + " [" + options.replica() + "] " + message);
        System.out.flush();
    }
}
