package dev.rollgate.demo;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rollgate.health.CheckOptions;
import dev.rollgate.health.CheckResult;
import dev.rollgate.health.Checks;
import dev.rollgate.health.GracefulShutdown;
import dev.rollgate.health.Health;
import dev.rollgate.health.HealthGroup;
import dev.rollgate.health.HealthListener;
import dev.rollgate.health.InFlight;
import dev.rollgate.health.JdkHttpServerHealth;
import dev.rollgate.health.Status;
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

/**
 * A small HTTP service on {@code rollgate-health}, whose behaviour is set by flags and changed at
 * run time through {@code /control/*}: slow start, a cache warm-up gate, readiness that flips,
 * liveness that fails, crashes, a SIGTERM it ignores, a child process of its own. Rollgate's demo
 * and tests run it as a replica.
 */
public final class DemoService {

    private final DemoOptions options;
    private final Instant startedAt = Instant.now();
    private final AtomicBoolean live = new AtomicBoolean(true);
    private final Health health = new Health();
    private final InFlight inFlight = new InFlight();
    private HttpServer server;
    private UserTable users;

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
        if (options.dbUrl() != null) users = new UserTable(options.dbUrl(), options.dbRead(), options.dbWrite());
        HttpContext app = server.createContext("/", this::handle);
        app.getFilters().add(JdkHttpServerHealth.inFlightFilter(inFlight));
        JdkHttpServerHealth.serve(server, health, true);
        registerChecks();
        health.addListener(new HealthListener() {
            @Override
            public void onProbeChange(HealthGroup kind, Status from, Status to) {
                log(kind.path() + " " + from + " -> " + to);
            }
        });
        health.start();
        server.start();
        log("listening on 127.0.0.1:" + options.port() + " version " + options.version() + " pid " + ProcessHandle.current().pid());
        if (options.neverReady()) health.markNotReady();
        if (options.spawnChild()) {
            Process child = new ProcessBuilder("sleep", "3600").inheritIO().start();
            log("spawned child pid " + child.pid());
        }
        if (options.ignoreSigterm()) {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"),
                    s -> log("SIGTERM received; ignoring SIGTERM (--ignore-sigterm): only SIGKILL will stop this process"));
        } else {
            Duration budget = options.shutdownDelay().plus(options.drainTimeout()).plusSeconds(1);
            GracefulShutdown.builder(health, inFlight)
                    .propagationDelay(options.shutdownDelay())
                    .drainTimeout(options.drainTimeout())
                    .budget(budget)
                    .stopAccepting(JdkHttpServerHealth.stopAccepting(server, options.drainTimeout()))
                    .log(this::log)
                    .build()
                    .onClose("health checks", health)
                    .installSignalHandlers();
        }
        Thread.sleep(options.startupDelay());
        health.markStarted();
        log("started after " + Duration.between(startedAt, Instant.now()).toMillis() + " ms");
        if (options.crashAfter() != null) {
            Thread.sleep(options.crashAfter().minus(options.startupDelay()).isNegative() ? Duration.ZERO
                    : options.crashAfter().minus(options.startupDelay()));
            log("crashing on purpose after " + options.crashAfter().toMillis() + " ms");
            Runtime.getRuntime().halt(3);
        }
    }

    private void registerChecks() {
        CheckOptions fast = CheckOptions.liveness().every(Duration.ofMillis(200)).timeout(Duration.ofSeconds(1));
        health.register("responsive", () -> CheckResult.of(live.get() && !livenessExpired()), fast);
        health.register("deadlocks", Checks.deadlocks(), CheckOptions.liveness().every(Duration.ofSeconds(10)));
        if (!options.warmup().isZero()) {
            // A cache whose hit rate climbs from 0 to 1 over the warm-up: readiness waits for 0.6 (Checks.atLeast).
            health.register("cache-warmup", Checks.atLeast("hitRate", this::hitRate, 0.6),
                    CheckOptions.readiness().every(Duration.ofMillis(200)));
        }
    }

    private double hitRate() {
        double elapsed = Duration.between(startedAt, Instant.now()).toMillis();
        return Math.min(1.0, elapsed / Math.max(1, options.warmup().toMillis()));
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            URI uri = ex.getRequestURI();
            String query = uri.getQuery() == null ? "" : uri.getQuery();
            switch (uri.getPath()) {
                case "/control/ready" -> {
                    if (query.equals("value=false")) health.markNotReady();
                    if (query.equals("value=true")) health.markReady();
                    respond(ex, 200, "{\"ready\":" + query.equals("value=true") + "}");
                }
                case "/control/live" -> {
                    if (query.startsWith("value=")) live.set(query.equals("value=true"));
                    respond(ex, 200, "{\"live\":" + live.get() + "}");
                }
                case "/control/stats" -> respond(ex, 200, "{\"inFlight\":" + inFlight.active() + ",\"total\":" + inFlight.total() + "}");
                case "/slow" -> {
                    sleep(Duration.ofMillis(parseMillis(query)));
                    respond(ex, 200, body());
                }
                case "/hold" -> {
                    // Held until a file exists (at most a minute): a test ends the request when its steps are done,
                    // even after the listener closed, instead of guessing a duration that outlasts them.
                    boolean released = holdUntil(query.startsWith("until=") ? java.net.URLDecoder.decode(query.substring(6),
                            StandardCharsets.UTF_8) : "", Duration.ofMinutes(1));
                    respond(ex, released ? 200 : 504, released ? body() : "{\"error\":\"not released within a minute\"}");
                }
                case "/" -> {
                    sleep(options.latency());
                    boolean fail = options.errorRate() > 0 && (options.errorsWhen() == null || java.nio.file.Files.exists(options.errorsWhen()))
                            && ThreadLocalRandom.current().nextDouble() < options.errorRate();
                    if (users != null && !fail) {
                        database(ex);
                        return;
                    }
                    respond(ex, fail ? 500 : 200, body());
                }
                default -> respond(ex, 404, "{\"error\":\"not found\"}");
            }
        }
    }

    /** Database mode: the user written and read back, or the database's error as a 500. */
    private void database(HttpExchange ex) throws IOException {
        try {
            String value = users.roundTrip();
            respond(ex, 200, body().replaceFirst("}$", ",\"" + options.dbRead() + "\":\"" + value + "\"}"));
        } catch (java.sql.SQLException e) {
            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("").replace("\\", "\\\\").replace("\"", "\\\"");
            respond(ex, 500, "{\"error\":\"" + why + "\",\"version\":\"" + options.version() + "\"}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            respond(ex, 503, "{\"error\":\"interrupted\"}");
        }
    }

    private static long parseMillis(String query) {
        try {
            return query.startsWith("ms=") ? Long.parseLong(query.substring(3)) : 1000;
        } catch (NumberFormatException e) {
            return 1000;
        }
    }

    private boolean livenessExpired() {
        return options.failLivenessAfter() != null
                && Duration.between(startedAt, Instant.now()).compareTo(options.failLivenessAfter()) >= 0;
    }

    private String body() {
        return "{\"version\":\"" + options.version() + "\",\"replica\":\"" + options.replica() + "\",\"pid\":"
                + ProcessHandle.current().pid() + "}";
    }

    private static boolean holdUntil(String file, Duration atMost) {
        if (file.isEmpty()) return false;
        java.nio.file.Path path = java.nio.file.Path.of(file);
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!java.nio.file.Files.exists(path)) {
            if (System.nanoTime() > deadline) return false;
            sleep(Duration.ofMillis(20));
        }
        return true;
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
