package dev.rollgate.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rollgate.controller.Verb;
import dev.rollgate.json.Json;
import dev.rollgate.local.ApiException;
import dev.rollgate.local.LoopbackApi;
import dev.rollgate.local.QueryString;
import dev.rollgate.local.daemon.Applier;
import dev.rollgate.local.daemon.Daemon;
import dev.rollgate.local.daemon.DeliveryFigures;
import dev.rollgate.local.daemon.Sources;
import dev.rollgate.proxy.TrafficMode;
import dev.rollgate.spec.ValueRef;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The daemon's admin API on loopback: JSON behind every CLI command, Prometheus text on
 * {@code /metrics}, and the browser dashboard under {@code /ui/}. Every API path but
 * {@code /healthz} needs {@code Authorization: Bearer <token>} with the token from the state
 * directory, or a dashboard session cookie; with the cookie, a request that changes anything
 * must also carry the session's CSRF token in {@code X-CSRF-Token}.
 */
public final class AdminApi implements AutoCloseable {

    private static final int MAX_LOG_CHUNK = 256 * 1024;

    private final Daemon daemon;
    private final byte[] token;
    private final HttpServer server;
    private final Sessions sessions = new Sessions(Clock.systemUTC());
    private final Dashboard dashboard;

    public AdminApi(Daemon daemon, String token, int port) throws IOException {
        this.daemon = daemon;
        this.token = LoopbackApi.authorization(token);
        this.dashboard = new Dashboard(token, sessions);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (path.equals("/healthz")) {
                LoopbackApi.send(ex, 200, "text/plain", "ok\n");
                return;
            }
            try {
                String host = ex.getRequestHeaders().getFirst("Host");
                if (!LoopbackApi.loopbackHost(host)) {
                    // A page whose name was rebound to 127.0.0.1 (DNS rebinding) sends its own name: it never reaches the API or the login.
                    throw new ApiException(403, "the admin API answers to 127.0.0.1, localhost and [::1] only, not Host: " + host);
                }
                if (Dashboard.handles(path)) {
                    dashboard.handle(ex, path);
                    return;
                }
                authenticate(ex);
                route(ex, ex.getRequestMethod(), path, QueryString.parse(ex.getRequestURI()));
            } catch (ApiException e) {
                error(ex, e);
            } catch (SQLException e) {
                error(ex, new ApiException(500, "state store: " + e.getMessage()));
            } catch (RuntimeException e) {
                error(ex, new ApiException(500, e.toString()));
            }
        }
    }

    /** The bearer token (the CLI), or a dashboard session with its CSRF token on anything but a read. */
    private void authenticate(HttpExchange ex) {
        if (LoopbackApi.bearer(ex, token)) return;
        var session = sessions.find(ex.getRequestHeaders().getFirst("Cookie"));
        if (session.isEmpty()) {
            throw new ApiException(401, "missing or wrong token: send Authorization: Bearer <the token in the state directory>");
        }
        String method = ex.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")
                && !Sessions.csrfMatches(session.get(), ex.getRequestHeaders().getFirst(Sessions.CSRF_HEADER))) {
            throw new ApiException(403, "missing or wrong " + Sessions.CSRF_HEADER + " header: a dashboard session changes nothing without it");
        }
    }

    private void route(HttpExchange ex, String method, String path, Map<String, String> q) throws IOException, SQLException {
        String[] p = path.replaceAll("/+$", "").split("/");
        // p[0] is "", p[1] is "v1" or "metrics"
        if (path.equals("/metrics") && method.equals("GET")) {
            LoopbackApi.send(ex, 200, "text/plain; version=0.0.4", daemon.metrics());
            return;
        }
        if (p.length < 3 || !p[1].equals("v1")) throw new ApiException(404, "no such path: " + path);
        switch (p[2]) {
            case "apply" -> {
                LoopbackApi.requireMethod(method, "POST");
                JsonNode body = body(ex);
                String doc = text(body, "document");
                String baseDir = text(body, "baseDir");
                String source = body.path("source").asText("spec");
                boolean requireDigest = Boolean.parseBoolean(q.getOrDefault("requireDigest", "false"));
                if (Boolean.parseBoolean(q.getOrDefault("dryRun", "false"))) {
                    Applier.Preview preview = daemon.preview(doc, baseDir, source, requireDigest);
                    json(ex, 200, Map.of("preview", preview.services(), "configMaps", preview.configMaps()));
                } else {
                    json(ex, 200, Map.of("applied", daemon.apply(doc, baseDir, source, requireDigest)));
                }
            }
            case "services" -> services(ex, method, p, q);
            case "export" -> {
                LoopbackApi.requireMethod(method, "GET");
                json(ex, 200, daemon.export(q.get("service")));
            }
            case "stats" -> {
                LoopbackApi.requireMethod(method, "GET");
                String since = q.getOrDefault("since", "30d");
                Duration period = DeliveryFigures.period(since)
                        .orElseThrow(() -> new ApiException(400, "since: not a period like 30d, 24h or 90m: " + since));
                json(ex, 200, daemon.stats(q.get("service"), Instant.now().minus(period)));
            }
            case "secrets" -> sources(ex, method, p, ValueRef.Kind.SECRET);
            case "configmaps" -> sources(ex, method, p, ValueRef.Kind.CONFIG_MAP);
            case "events" -> {
                LoopbackApi.requireMethod(method, "GET");
                json(ex, 200, daemon.events(null, LoopbackApi.longParam(q, "after", 0), LoopbackApi.intParam(q, "limit", 500)));
            }
            case "stream" -> {
                LoopbackApi.requireMethod(method, "GET");
                stream(ex, q.get("service"), LoopbackApi.longParam(q, "after", 0));
            }
            case "daemon" -> {
                LoopbackApi.requireMethod(method, "GET");
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("pid", ProcessHandle.current().pid());
                info.put("stateDir", daemon.stateDir().toString());
                info.put("startedAt", daemon.startedAt().toString());
                info.put("services", daemon.list().size());
                info.put("dataPlanePid", daemon.dataPlanePid());
                Instant unanswered = daemon.dataPlaneUnansweredSince();
                if (unanswered != null) info.put("dataPlaneUnansweredSince", unanswered.toString());
                json(ex, 200, info);
            }
            case "shutdown" -> {
                LoopbackApi.requireMethod(method, "POST");
                boolean leave = Boolean.parseBoolean(q.getOrDefault("leaveRunning", "false"));
                json(ex, 202, Map.of("stopping", true, "leaveRunning", leave));
                Thread.ofVirtual().start(leave ? daemon::detach : daemon::shutdown);
            }
            default -> throw new ApiException(404, "no such path: " + path);
        }
    }

    private void services(HttpExchange ex, String method, String[] p, Map<String, String> q) throws IOException, SQLException {
        if (p.length == 3) {
            LoopbackApi.requireMethod(method, "GET");
            if (ServiceListing.asked(ex)) ServiceListing.send(ex, daemon, daemon.list(), q);
            else json(ex, 200, daemon.list());
            return;
        }
        String name = p[3];
        if (p.length == 4) {
            switch (method) {
                case "GET" -> {
                    if (ServiceListing.asked(ex)) ServiceListing.send(ex, daemon, List.of(daemon.describe(name)), q);
                    else json(ex, 200, daemon.describe(name));
                }
                case "DELETE" -> {
                    var done = daemon.delete(name);
                    if (Boolean.parseBoolean(q.getOrDefault("wait", "true"))) done.join();
                    json(ex, 200, Map.of("deleted", name));
                }
                default -> throw new ApiException(405, method + " is not allowed on " + String.join("/", p));
            }
            return;
        }
        String action = p[4];
        switch (action) {
            case "history" -> {
                LoopbackApi.requireMethod(method, "GET");
                json(ex, 200, daemon.history(name));
            }
            case "events" -> {
                LoopbackApi.requireMethod(method, "GET");
                json(ex, 200, daemon.events(name, LoopbackApi.longParam(q, "after", 0), LoopbackApi.intParam(q, "limit", 500)));
            }
            case "traffic" -> {
                LoopbackApi.requireMethod(method, "POST");
                JsonNode body = body(ex);
                String mode = text(body, "mode");
                var m = switch (mode) {
                    case "pause" -> TrafficMode.pause(bounded(body, "holdLimit", 1000, 1, 1_000_000),
                            bounded(body, "maxPauseSeconds", TrafficMode.DEFAULT_MAX_PAUSE_SECONDS, 1, 3600));
                    case "stop" -> TrafficMode.stop(body.path("message").isTextual() ? body.path("message").asText() : null,
                            body.path("retryAfterSeconds").asInt(60));
                    case "resume" -> TrafficMode.SERVE;
                    default -> throw new ApiException(400, "mode: pause, stop or resume, got " + mode);
                };
                json(ex, 200, Map.of("result", daemon.traffic(name, m)));
            }
            case "undo", "restart", "pause", "resume", "promote", "abort", "retry" -> {
                LoopbackApi.requireMethod(method, "POST");
                json(ex, 200, Map.of("result", daemon.service(name).act(verb(action, q))));
            }
            case "logs" -> {
                LoopbackApi.requireMethod(method, "GET");
                logs(ex, name, q);
            }
            case "metrics" -> {
                LoopbackApi.requireMethod(method, "GET");
                int seconds = LoopbackApi.intParam(q, "seconds", 300);
                if (seconds < 1 || seconds > 300) throw new ApiException(400, "seconds: between 1 and 300, got " + seconds);
                json(ex, 200, DashboardData.series(daemon, name, seconds));
            }
            case "revisions" -> {
                LoopbackApi.requireMethod(method, "GET");
                json(ex, 200, DashboardData.revisions(daemon, name));
            }
            default -> throw new ApiException(404, "no such action: " + action
                    + " (history, revisions, metrics, events, undo, pause, resume, restart, promote, abort, retry, logs)");
        }
    }

    /**
     * {@code GET /v1/secrets} (or configmaps): the list; {@code POST .../NAME} with {@code {"data": {...}, "create": bool}}: a
     * new version; {@code GET .../NAME/history}; {@code DELETE .../NAME}. A secret's values go in and never come out.
     */
    private void sources(HttpExchange ex, String method, String[] p, ValueRef.Kind kind) throws IOException, SQLException {
        Sources sources = daemon.sources();
        if (p.length == 3) {
            LoopbackApi.requireMethod(method, "GET");
            json(ex, 200, sources.list(kind));
            return;
        }
        String name = p[3];
        if (!name.matches("[a-z0-9]([-.a-z0-9]{0,251}[a-z0-9])?")) {
            throw new ApiException(400, "name: \"" + name + "\" is not a " + kind.word() + " name; use lower-case letters, digits, '-' and '.'");
        }
        if (p.length == 5 && p[4].equals("history")) {
            LoopbackApi.requireMethod(method, "GET");
            json(ex, 200, sources.history(kind, name));
            return;
        }
        if (p.length != 4) throw new ApiException(404, "no such path under /v1/" + p[2] + "/" + name + " (history)");
        switch (method) {
            case "POST" -> {
                JsonNode body = body(ex);
                JsonNode data = body.path("data");
                if (!data.isObject() || data.isEmpty()) throw new ApiException(400, "data: required, an object of keys to string values");
                Map<String, String> values = new LinkedHashMap<>();
                for (var e : data.properties()) {
                    if (!e.getKey().matches("[-._a-zA-Z0-9]{1,253}")) {
                        throw new ApiException(400, "data." + e.getKey() + ": not a valid key; use letters, digits, '-', '_' and '.'");
                    }
                    if (!e.getValue().isTextual()) throw new ApiException(400, "data." + e.getKey() + ": must be a string");
                    if (e.getValue().asText().indexOf('\0') >= 0) throw new ApiException(400, "data." + e.getKey() + ": holds a NUL character");
                    values.put(e.getKey(), e.getValue().asText());
                }
                json(ex, 200, sources.put(kind, name, values, body.path("create").asBoolean(false)));
            }
            case "DELETE" -> {
                sources.delete(kind, name);
                json(ex, 200, Map.of("deleted", name));
            }
            default -> throw new ApiException(405, "use POST or DELETE, not " + method);
        }
    }

    /** A chunk of one replica's log from {@code offset} (or its last {@code tail} lines), and the offset to ask from next. */
    private void logs(HttpExchange ex, String name, Map<String, String> q) throws IOException {
        Path dir = daemon.logDir(name);
        String replica = q.get("replica");
        if (replica == null || !replica.matches("[a-z0-9-]+")) throw new ApiException(400, "replica: give a replica id of " + name);
        Path file = dir.resolve(replica + ".log");
        if (!Files.exists(file)) throw new ApiException(404, "no log for replica " + replica + " of " + name);
        long size = Files.size(file);
        long offset = LoopbackApi.longParam(q, "offset", -1);
        String text;
        if (offset < 0 || offset > size) {
            int tail = LoopbackApi.intParam(q, "tail", 100);
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            text = String.join("\n", all.subList(Math.max(0, all.size() - tail), all.size()));
            if (!text.isEmpty()) text += "\n";
            offset = size;
        } else {
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                int n = (int) Math.min(MAX_LOG_CHUNK, size - offset);
                byte[] b = new byte[n];
                f.seek(offset);
                f.readFully(b);
                text = new String(b, StandardCharsets.UTF_8);
                offset += n;
            }
        }
        json(ex, 200, Map.of("replica", replica, "offset", offset, "text", text));
    }

    /**
     * Server-sent events: a {@link DashboardData.Snapshot} each second until the client goes away
     * (the dashboard's live view; one connection per open page, no polling).
     */
    private void stream(HttpExchange ex, String service, long afterEvent) throws IOException, SQLException {
        if (service != null) daemon.service(service);
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Accel-Buffering", "no");
        ex.sendResponseHeaders(200, 0);
        var out = ex.getResponseBody();
        long after = afterEvent;
        try {
            while (true) {
                DashboardData.Snapshot s = DashboardData.snapshot(daemon, service, after);
                if (!s.events().isEmpty()) after = s.events().getLast().id();
                out.write(("data: " + Json.write(s) + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | SQLException | RuntimeException gone) {
            // the page was closed or reloaded, or the daemon is stopping: the stream just ends (its head is sent)
        }
    }

    // ---- plumbing -------------------------------------------------------------------------------

    private static JsonNode body(HttpExchange ex) throws IOException {
        try {
            return Json.MAPPER.readTree(LoopbackApi.body(ex));
        } catch (ApiException e) {
            throw e;
        } catch (IOException e) {
            throw new ApiException(400, "request body is not JSON: " + e.getMessage());
        }
    }

    /** An optional whole number of a body, within bounds, or a 400 that names it. */
    private static int bounded(JsonNode body, String field, int absent, int min, int max) {
        JsonNode v = body.path(field);
        if (v.isMissingNode() || v.isNull()) return absent;
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
            throw new ApiException(400, field + ": a whole number from " + min + " to " + max + ", got " + v);
        }
        return v.asInt();
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body == null ? null : body.get(field);
        if (n == null || !n.isTextual()) throw new ApiException(400, field + ": required, a string");
        return n.asText();
    }

    /** The verb of {@code POST /v1/services/NAME/VERB}, with its query's options ({@code toRevision}, {@code full}). */
    private static Verb verb(String name, Map<String, String> q) {
        String full = q.getOrDefault("full", "false");
        if (!full.equals("true") && !full.equals("false")) throw new ApiException(400, "full: expected true or false, got " + full);
        return Verb.of(name, LoopbackApi.intParam(q, "toRevision", 0), full.equals("true")).orElseThrow(() -> new ApiException(404, "no verb " + name));
    }

    private static void json(HttpExchange ex, int status, Object value) throws IOException {
        LoopbackApi.send(ex, status, "application/json", Json.write(value));
    }

    private static void error(HttpExchange ex, ApiException e) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.getMessage());
        if (!e.details().isEmpty()) body.put("details", e.details());
        json(ex, e.status(), body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
