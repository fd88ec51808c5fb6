package dev.rollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.json.Json;
import dev.rollgate.local.store.DaemonFiles;
import dev.rollgate.view.ServiceTable;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.DefaultBHttpClientConnection;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;

/**
 * The CLI's side of the admin API: finds the daemon of a state directory and speaks JSON to it, one
 * request per connection. HTTP/1.1 is Apache HttpCore's blocking connection on a socket opened here: the
 * JDK's HttpURLConnection costs a short command 25 ms before its first byte (finding the {@code http:}
 * handler searches the class path, which opens the 23,000-entry jar), its HttpClient over 100 ms (ADR 0019).
 * A request is sent once: nothing here sends one again when a connection breaks.
 */
final class DaemonClient {

    private static final Duration CONNECT = Duration.ofSeconds(2);
    /** Where the admin API listens: 127.0.0.1 itself (the JVM's loopback address is ::1 under java.net.preferIPv6Addresses). */
    private static final InetAddress LOOPBACK = loopback();

    private final Path stateDir;
    private final int port;
    private final String token;

    private DaemonClient(Path stateDir, int port, String token) {
        this.stateDir = stateDir;
        this.port = port;
        this.token = token;
    }

    /** A whole answer: its status, its media type, its body as text, and the text of its {@code Warning} headers. */
    record Answer(int status, String type, String body, List<String> warnings) {}

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
            return connect(stateDir).send("GET", "/healthz", null, null, Duration.ofSeconds(2)).status() == 200;
        } catch (CliException | IOException | HttpException e) {
            return false;
        }
    }

    JsonNode get(String path) {
        return json(exchange("GET", path, null, null).body());
    }

    /** {@code rollgate get}'s table of the services at {@code path} (all, or one), as the daemon makes it. */
    Target.Listing listing(String path) {
        Answer a = exchange("GET", path, null, ServiceTable.MEDIA_TYPE);
        try {
            if (!a.type().startsWith(ServiceTable.MEDIA_TYPE)) throw new IllegalArgumentException("it is " + a.type());
            return new Target.Listing(ServiceTable.parse(a.body()), a.warnings());
        } catch (IllegalArgumentException e) {
            throw new CliException("the daemon answered with something other than its table of services (" + e.getMessage()
                    + "); is the daemon another version? rollgate down && rollgate up");
        }
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
        return json(exchange("POST", path, body == null ? "{}" : Json.write(body), null).body());
    }

    JsonNode delete(String path) {
        return json(exchange("DELETE", path, null, null).body());
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A service in the admin API. */
    static String servicePath(String name) {
        return "/v1/services/" + encode(name);
    }

    /** One request on a connection of its own; the answer whole. */
    private Answer send(String method, String path, String json, String accept, Duration timeout) throws IOException, HttpException {
        Socket socket = new Socket(Proxy.NO_PROXY);
        try (DefaultBHttpClientConnection http = new DefaultBHttpClientConnection(Http1Config.DEFAULT)) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), (int) CONNECT.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            http.bind(socket);
            BasicClassicHttpRequest request = new BasicClassicHttpRequest(method, path);
            request.setHeader("Host", "127.0.0.1:" + port);
            request.setHeader("Authorization", "Bearer " + token);
            request.setHeader("Connection", "close");
            if (accept != null) request.setHeader("Accept", accept);
            if (json != null) {
                // The bare connection frames the body by these headers (HttpCore's interceptors are not in the way).
                StringEntity entity = new StringEntity(json, ContentType.APPLICATION_JSON);
                request.setHeader("Content-Type", entity.getContentType());
                request.setHeader("Content-Length", Long.toString(entity.getContentLength()));
                request.setEntity(entity);
            }
            http.sendRequestHeader(request);
            if (json != null) http.sendRequestEntity(request);
            http.flush();
            ClassicHttpResponse response = http.receiveResponseHeader();
            http.receiveResponseEntity(response);
            String body = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
            List<String> warnings = new ArrayList<>();
            for (Header h : response.getHeaders("Warning")) warnings.add(warnText(h.getValue()));
            Header type = response.getFirstHeader("Content-Type");
            return new Answer(response.getCode(), type == null ? "" : type.getValue(), body, warnings);
        } finally {
            socket.close();
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    /** The text of a {@code Warning: 299 agent "text"} header, its quoted pairs undone (the whole value when it has no quoted text). */
    static String warnText(String value) {
        int open = value.indexOf('"');
        int close = value.lastIndexOf('"');
        return open >= 0 && close > open ? value.substring(open + 1, close).replaceAll("\\\\(.)", "$1") : value;
    }

    private JsonNode json(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new CliException("the daemon answered with something that is not JSON: " + abbreviate(body));
        }
    }

    private Answer exchange(String method, String path, String json, String accept) {
        Answer answer;
        try {
            answer = send(method, path, json, accept, Duration.ofMinutes(10));
        } catch (ConnectException e) {
            throw new CliException("the daemon for " + stateDir + " does not answer at 127.0.0.1:" + port + "; is it still running? (rollgate up)");
        } catch (SocketTimeoutException e) {
            throw new CliException("the daemon at 127.0.0.1:" + port + " did not answer " + method + " " + path + " in time: " + e.getMessage());
        } catch (IOException | HttpException e) {
            throw new CliException("talking to the daemon at 127.0.0.1:" + port + ": " + e.getMessage());
        }
        int status = answer.status();
        String text = answer.body();
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
        return answer;
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
