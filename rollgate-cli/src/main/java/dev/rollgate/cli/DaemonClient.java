package dev.rollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.json.Json;
import dev.rollgate.local.store.DaemonFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The CLI's side of the admin API: finds the daemon of a state directory and speaks JSON to it. */
final class DaemonClient {

    static {
        // HttpURLConnection sends a POST again when the connection breaks before the answer; a verb must run once.
        System.setProperty("sun.net.http.retryPost", "false");
    }

    private final Path stateDir;
    private final URI base;
    private final String token;

    private DaemonClient(Path stateDir, int port, String token) {
        this.stateDir = stateDir;
        this.base = URI.create("http://127.0.0.1:" + port);
        this.token = token;
    }

    /** The daemon of {@code stateDir}, or a CliException that says how to start one. */
    static DaemonClient connect(Path stateDir) {
        Optional<DaemonFiles.Address> address = DaemonFiles.readAddress(stateDir);
        Optional<String> token = DaemonFiles.readToken(stateDir);
        if (address.isEmpty() || token.isEmpty() || !ProcessHandle.of(address.get().pid()).map(ProcessHandle::isAlive).orElse(false)) {
            throw new CliException("no Rollgate daemon is running for state directory " + stateDir
                    + "; start one with: rollgate up --state-dir " + stateDir);
        }
        return new DaemonClient(stateDir, address.get().port(), token.get());
    }

    /** Whether a daemon answers for {@code stateDir}. */
    static boolean running(Path stateDir) {
        try {
            DaemonClient c = connect(stateDir);
            HttpURLConnection http = c.open("/healthz", "GET", Duration.ofSeconds(2));
            return http.getResponseCode() == 200;
        } catch (CliException | IOException e) {
            return false;
        }
    }

    JsonNode get(String path) {
        return json(exchange(path, "GET", null));
    }

    /** GET {@code path} as the daemon's own record type. */
    <T> T get(String path, Class<T> type) {
        return as(get(path), type);
    }

    /** GET {@code path}, a list of the daemon's records. */
    <T> List<T> getList(String path, Class<T> type) {
        return asList(get(path), type);
    }

    /** An answer read as the daemon's record type; a shape this CLI does not know is said so, not thrown as a stack trace. */
    static <T> T as(JsonNode answer, Class<T> type) {
        try {
            return Json.MAPPER.treeToValue(answer, type);
        } catch (IOException | IllegalArgumentException e) {
            throw new CliException("the daemon answered in a shape this rollgate does not read as " + type.getSimpleName()
                    + " (is the daemon another version? rollgate down && rollgate up): " + e.getMessage());
        }
    }

    static <T> List<T> asList(JsonNode answer, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (JsonNode n : answer) out.add(as(n, type));
        return out;
    }

    JsonNode post(String path, Object body) {
        return json(exchange(path, "POST", body == null ? "{}" : Json.write(body)));
    }

    JsonNode delete(String path) {
        return json(exchange(path, "DELETE", null));
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A service in the admin API. */
    static String servicePath(String name) {
        return "/v1/services/" + encode(name);
    }

    // The JDK's HttpURLConnection rather than java.net.http.HttpClient: the daemon is plain HTTP/1.1 on
    // loopback, and HttpClient sets up TLS and its selector thread first, a tenth of a second of every command.
    private HttpURLConnection open(String path, String method, Duration timeout) throws IOException {
        HttpURLConnection http = (HttpURLConnection) base.resolve(path).toURL().openConnection();
        http.setRequestMethod(method);
        http.setConnectTimeout(2000);
        http.setReadTimeout((int) timeout.toMillis());
        http.setUseCaches(false);
        http.setRequestProperty("Authorization", "Bearer " + token);
        return http;
    }

    private JsonNode json(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new CliException("the daemon answered with something that is not JSON: " + abbreviate(body));
        }
    }

    private String exchange(String path, String method, String body) {
        int status;
        String text;
        try {
            HttpURLConnection http = open(path, method, Duration.ofMinutes(10));
            if (body != null) {
                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                http.setDoOutput(true);
                http.setFixedLengthStreamingMode(b.length);
                http.setRequestProperty("Content-Type", "application/json");
                try (OutputStream out = http.getOutputStream()) {
                    out.write(b);
                }
            }
            status = http.getResponseCode();
            try (InputStream in = status >= 400 ? http.getErrorStream() : http.getInputStream()) {
                text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (ConnectException e) {
            throw new CliException("the daemon for " + stateDir + " does not answer at " + base + "; is it still running? (rollgate up)");
        } catch (IOException e) {
            throw new CliException("talking to the daemon at " + base + ": " + e.getMessage());
        }
        if (status / 100 != 2) {
            String message = "the daemon answered " + status;
            List<String> details = new ArrayList<>();
            try {
                JsonNode err = Json.MAPPER.readTree(text);
                if (err.hasNonNull("error")) message = err.get("error").asText();
                err.path("details").forEach(d -> details.add(d.asText()));
            } catch (IOException notJson) {
                message += ": " + abbreviate(text);
            }
            throw new CliException(message, details);
        }
        return text;
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
