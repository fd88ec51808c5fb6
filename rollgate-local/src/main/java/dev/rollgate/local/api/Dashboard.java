package dev.rollgate.local.api;

import com.sun.net.httpserver.HttpExchange;
import dev.rollgate.local.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The browser dashboard under {@code /ui/}: a login form that trades the daemon's token for a
 * session cookie, the page and its scripts (uPlot from its WebJar, so it works offline). The page
 * reads and steers through the same {@code /v1} API as the CLI, with the session and a CSRF token.
 */
final class Dashboard {

    private static final String ASSETS = "/dev/rollgate/dashboard/";
    private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/"; // the version in the pom
    private static final Map<String, String> VENDOR = Map.of("uPlot.iife.min.js", UPLOT + "uPlot.iife.min.js",
            "uPlot.min.css", UPLOT + "uPlot.min.css");
    private static final int MAX_FORM = 4096;
    /** Scripts and styles come from this origin only; nothing may frame the page. */
    static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private final byte[] token;
    private final Sessions sessions;
    private final LoginAttempts failedLogins = new LoginAttempts(5, Duration.ofMinutes(1));

    Dashboard(String token, Sessions sessions) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.sessions = sessions;
    }

    static boolean handles(String path) {
        return path.equals("/") || path.equals("/ui") || path.startsWith("/ui/");
    }

    void handle(HttpExchange ex, String path) throws IOException {
        String method = ex.getRequestMethod();
        Optional<Sessions.Session> session = sessions.find(ex.getRequestHeaders().getFirst("Cookie"));
        if (path.equals("/") || path.equals("/ui")) {
            redirect(ex, "/ui/");
        } else if (path.equals("/ui/")) {
            if (session.isEmpty()) {
                redirect(ex, "/ui/login");
            } else {
                String page = resource(ASSETS + "index.html").replace("{{csrf}}", session.get().csrf());
                send(ex, 200, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8), "no-store");
            }
        } else if (path.equals("/ui/login") && method.equals("GET")) {
            if (session.isPresent()) redirect(ex, "/ui/");
            else loginPage(ex, 200, "");
        } else if (path.equals("/ui/login") && method.equals("POST")) {
            login(ex);
        } else if (path.equals("/ui/logout") && method.equals("POST")) {
            if (session.isPresent() && Sessions.csrfMatches(session.get(), form(ex).get("csrf"))) sessions.remove(session.get());
            ex.getResponseHeaders().add("Set-Cookie", Sessions.clearCookie());
            redirect(ex, "/ui/login");
        } else if (path.startsWith("/ui/assets/") && method.equals("GET")) {
            asset(ex, ASSETS + path.substring("/ui/assets/".length()));
        } else if (path.startsWith("/ui/vendor/") && method.equals("GET") && VENDOR.containsKey(path.substring("/ui/vendor/".length()))) {
            asset(ex, VENDOR.get(path.substring("/ui/vendor/".length())));
        } else {
            send(ex, 404, "text/plain; charset=utf-8", ("no such page: " + path + "\n").getBytes(StandardCharsets.UTF_8), "no-store");
        }
    }

    private void login(HttpExchange ex) throws IOException {
        String given = form(ex).getOrDefault("token", "").trim();
        if (failedLogins.full()) {
            ex.getResponseHeaders().set("Retry-After", Long.toString(failedLogins.secondsUntilRoom()));
            loginPage(ex, 429, "Too many wrong tokens in the last minute; try again in " + failedLogins.secondsUntilRoom() + " s.");
            return;
        }
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token)) {
            failedLogins.add();
            loginPage(ex, 401, "That is not this daemon's token.");
            return;
        }
        Sessions.Session s = sessions.create();
        ex.getResponseHeaders().add("Set-Cookie", Sessions.setCookie(s));
        redirect(ex, "/ui/");
    }

    private void loginPage(HttpExchange ex, int status, String error) throws IOException {
        String page = resource(ASSETS + "login.html").replace("{{error}}", error);
        send(ex, status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8), "no-store");
    }

    private static Map<String, String> form(HttpExchange ex) throws IOException {
        byte[] b;
        try (InputStream in = ex.getRequestBody()) {
            b = in.readNBytes(MAX_FORM + 1);
        }
        if (b.length > MAX_FORM) throw new ApiException(413, "form over " + MAX_FORM + " bytes");
        Map<String, String> out = new HashMap<>();
        for (String pair : new String(b, StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) continue;
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static void asset(HttpExchange ex, String resource) throws IOException {
        String name = resource.substring(resource.lastIndexOf('/') + 1);
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9.-]*")) {
            send(ex, 404, "text/plain; charset=utf-8", "no such asset\n".getBytes(StandardCharsets.UTF_8), "no-store");
            return;
        }
        try (InputStream in = Dashboard.class.getResourceAsStream(resource)) {
            if (in == null) {
                send(ex, 404, "text/plain; charset=utf-8", ("no such asset: " + name + "\n").getBytes(StandardCharsets.UTF_8), "no-store");
                return;
            }
            // Code and styles hold no secret: the browser may keep them, but asks again each time.
            send(ex, 200, contentType(name), in.readAllBytes(), "no-cache");
        }
    }

    private static String contentType(String name) {
        if (name.endsWith(".js")) return "text/javascript; charset=utf-8";
        if (name.endsWith(".css")) return "text/css; charset=utf-8";
        if (name.endsWith(".svg")) return "image/svg+xml";
        if (name.endsWith(".html")) return "text/html; charset=utf-8";
        return "application/octet-stream";
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = Dashboard.class.getResourceAsStream(name)) {
            if (in == null) throw new IOException("the dashboard's " + name + " is missing from the build");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void redirect(HttpExchange ex, String to) throws IOException {
        ex.getResponseHeaders().set("Location", to);
        send(ex, 303, "text/plain; charset=utf-8", new byte[0], "no-store");
    }

    static void securityHeaders(HttpExchange ex) {
        var h = ex.getResponseHeaders();
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body, String cache) throws IOException {
        securityHeaders(ex);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", cache);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (var out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
