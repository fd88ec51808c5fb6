package dev.rollgate.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the proxy tells an upstream about the client: X-Forwarded-For, -Proto and -Host, and a request
 * id. Only a trusted peer's own forwarded headers are kept and extended (every peer of a service's own
 * port; on the front door, the configured proxies): anyone else's would be a spoofed client address, a
 * steered path ({@code X-Forwarded-Prefix}) or an id that collides with another's in the logs, so they
 * are replaced, as Envoy does.
 */
final class ForwardedHeaders {

    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    static final AsciiString REQUEST_ID = AsciiString.cached("x-request-id");
    /** What a client could set to pass for someone else, or to steer the upstream's view of the path: only a trusted proxy's reach it. */
    private static final List<AsciiString> FROM_TRUSTED_PROXIES_ONLY = List.of(AsciiString.cached("forwarded"),
            AsciiString.cached("x-real-ip"), AsciiString.cached("x-forwarded-prefix"));
    private static final AsciiString HTTP = AsciiString.cached("http");
    private static final AsciiString HTTPS = AsciiString.cached("https");
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private ForwardedHeaders() {}

    /** The request id header's name: the shared constant when it is the default, so that it skips per-request validation. */
    static CharSequence requestIdHeader(String configured) {
        return REQUEST_ID.contentEqualsIgnoreCase(configured) ? REQUEST_ID : configured;
    }

    /** Whether {@code name} is one of the header names this proxy adds (the very constant, not a client's copy of it). */
    static boolean isOwnHeaderName(CharSequence name) {
        return name == X_FORWARDED_FOR || name == X_FORWARDED_PROTO || name == X_FORWARDED_HOST || name == REQUEST_ID;
    }

    /**
     * Sets the forwarded headers of a request on its way to an upstream, in place: {@code client} is the
     * peer's address, {@code trusted} whether that peer's own forwarded headers are kept, {@code tls}
     * whether the client came over TLS, {@code idHeader} the request id's header name.
     */
    static void apply(HttpHeaders h, AsciiString client, boolean trusted, boolean tls, CharSequence idHeader) {
        String xff = h.get(X_FORWARDED_FOR);
        h.set(X_FORWARDED_FOR, xff == null || !trusted ? client : xff + ", " + client);
        if (!trusted || !h.contains(X_FORWARDED_PROTO)) h.set(X_FORWARDED_PROTO, tls ? HTTPS : HTTP);
        if (!trusted) {
            h.remove(X_FORWARDED_HOST);
            for (var name : FROM_TRUSTED_PROXIES_ONLY) h.remove(name);
            h.remove(idHeader);
        }
        String host = h.get(HttpHeaderNames.HOST);
        if (host != null && !h.contains(X_FORWARDED_HOST)) h.set(X_FORWARDED_HOST, host);
        if (!h.contains(idHeader)) h.set(idHeader, requestId());
    }

    /** 128 random bits as 32 hex digits, built as ASCII bytes (encoded onto the wire by a plain copy). */
    static AsciiString requestId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        byte[] b = new byte[32];
        long hi = r.nextLong(), lo = r.nextLong();
        for (int i = 0; i < 16; i++) {
            b[i] = HEX[(int) (hi >>> (60 - 4 * i)) & 0xf];
            b[16 + i] = HEX[(int) (lo >>> (60 - 4 * i)) & 0xf];
        }
        return new AsciiString(b, false);
    }
}
