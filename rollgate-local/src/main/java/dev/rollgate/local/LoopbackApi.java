package dev.rollgate.local;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * What the daemon's admin API and the data plane's control API share: both listen on loopback behind
 * the state directory's bearer token, cap what they read, and answer JSON that is never cached.
 * A bad request is an {@link ApiException} with its status.
 */
public final class LoopbackApi {

    /** The most either API reads of a request body. */
    public static final int MAX_BODY = 4 * 1024 * 1024;

    private LoopbackApi() {}

    /** A Host header that names the loopback interface an API listens on (with any port). */
    public static boolean loopbackHost(String host) {
        if (host == null) return false;
        String name = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1)
                : host.lastIndexOf(':') >= 0 ? host.substring(0, host.lastIndexOf(':')) : host;
        String port = host.substring(name.length());
        return (name.equals("127.0.0.1") || name.equalsIgnoreCase("localhost") || name.equals("[::1]"))
                && (port.isEmpty() || port.matches(":[0-9]{1,5}"));
    }

    /** The {@code Authorization} header a client with {@code token} sends, to compare in constant time with {@link #bearer}. */
    public static byte[] authorization(String token) {
        return ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    /** Whether the request carries {@code authorization} ({@link #authorization}), compared in constant time. */
    public static boolean bearer(HttpExchange ex, byte[] authorization) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        return auth != null && MessageDigest.isEqual(auth.getBytes(StandardCharsets.UTF_8), authorization);
    }

    /** The request body, at most {@link #MAX_BODY} bytes (413 beyond). */
    public static byte[] body(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(MAX_BODY + 1);
            if (b.length > MAX_BODY) throw new ApiException(413, "request body over " + MAX_BODY + " bytes");
            return b;
        }
    }

    /** 405 unless the request uses {@code allowed}. */
    public static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed)) throw new ApiException(405, "use " + allowed + ", not " + method);
    }

    /** An optional whole-number query parameter, or a 400 that names it. */
    public static long longParam(Map<String, String> q, String name, long fallback) {
        String v = q.get(name);
        if (v == null) return fallback;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ApiException(400, name + ": not a number: " + v);
        }
    }

    /** As {@link #longParam}, from 0 to {@link Integer#MAX_VALUE}. */
    public static int intParam(Map<String, String> q, String name, int fallback) {
        long v = longParam(q, name, fallback);
        if (v < 0 || v > Integer.MAX_VALUE) throw new ApiException(400, name + ": out of range: " + v);
        return (int) v;
    }

    /**
     * Sends {@code body} as {@code type}, never cached. Closing the body flushes it: the answer is on the wire
     * when this returns, even if the server stops right after (a shutdown's answer).
     */
    public static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        try (var out = ex.getResponseBody()) {
            out.write(b);
        }
    }
}
