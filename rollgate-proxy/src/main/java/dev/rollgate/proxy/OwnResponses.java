package dev.rollgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The proxy's own answers, as opposed to an upstream's: plain words, or the service's page for an
 * error status; {@code Retry-After} on a 503; {@code Strict-Transport-Security} on the front door's
 * HTTPS answers of a service that asks for it.
 */
final class OwnResponses {

    private static final AsciiString STRICT_TRANSPORT_SECURITY = AsciiString.cached("strict-transport-security");
    private static final String PLAIN = "text/plain; charset=utf-8";
    private static final String HTML = "text/html; charset=utf-8";

    private OwnResponses() {}

    /** A whole response ({@code text} null: no body, and no type). */
    static DefaultFullHttpResponse of(HttpResponseStatus status, String type, String text) {
        ByteBuf body = text == null ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        var r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        if (type != null) r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return r;
    }

    /** {@code text} as one line of plain text. */
    static DefaultFullHttpResponse plain(HttpResponseStatus status, String text) {
        return of(status, PLAIN, text + "\n");
    }

    /**
     * An error: the service's page for the status when {@code pages} has one, else {@code message};
     * a 503 says when to come back ({@code retryAfter}, 1 s when null).
     */
    static DefaultFullHttpResponse error(HttpResponseStatus status, String message, Map<Integer, String> pages, String retryAfter, long hstsSeconds) {
        String page = pages.get(status.code());
        var r = page != null ? of(status, HTML, page) : plain(status, message);
        if (status.code() == HttpResponseStatus.SERVICE_UNAVAILABLE.code()) r.headers().set(HttpHeaderNames.RETRY_AFTER, retryAfter == null ? "1" : retryAfter);
        hsts(r.headers(), hstsSeconds);
        return r;
    }

    /** Sets {@code Strict-Transport-Security: max-age=N} when {@code seconds} is above 0. */
    static void hsts(HttpHeaders h, long seconds) {
        if (seconds > 0) h.set(STRICT_TRANSPORT_SECURITY, "max-age=" + seconds);
    }
}
