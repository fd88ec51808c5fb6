package dev.rollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.local.daemon.DaemonFiles;
import dev.rollgate.local.daemon.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The CLI's side of the admin API: finds the daemon of a state directory and speaks JSON to it. */
final class DaemonClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

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
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(c.base.resolve("/healthz")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (CliException | IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    JsonNode get(String path) {
        return send(request(path).GET());
    }

    String getText(String path) {
        return sendRaw(request(path).GET());
    }

    JsonNode post(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "{}" : Json.write(body))));
    }

    JsonNode delete(String path) {
        return send(request(path).DELETE());
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(10)).header("Authorization", "Bearer " + token);
    }

    private JsonNode send(HttpRequest.Builder b) {
        String body = sendRaw(b);
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new CliException("the daemon answered with something that is not JSON: " + abbreviate(body));
        }
    }

    private String sendRaw(HttpRequest.Builder b) {
        HttpResponse<String> r;
        try {
            r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new CliException("the daemon for " + stateDir + " does not answer at " + base + "; is it still running? (rollgate up)");
        } catch (IOException e) {
            throw new CliException("talking to the daemon at " + base + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
        if (r.statusCode() / 100 != 2) {
            String message = "the daemon answered " + r.statusCode();
            List<String> details = new ArrayList<>();
            try {
                JsonNode err = Json.MAPPER.readTree(r.body());
                if (err.hasNonNull("error")) message = err.get("error").asText();
                err.path("details").forEach(d -> details.add(d.asText()));
            } catch (IOException notJson) {
                message += ": " + abbreviate(r.body());
            }
            throw new CliException(message, details);
        }
        return r.body();
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
