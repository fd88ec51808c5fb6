package dev.rollgate.proxy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.Map;

/**
 * HTTP/2 heads as the exchange reads and writes them, each header mapped once, straight across: a
 * request's HEADERS as HTTP/1.1's decoder gives a head (no extension headers, no copy of a whole
 * request), an answer's head and trailers back as HTTP/2 fields. A request's headers are validated as
 * an HTTP/1.1 client's are (a CR, LF or NUL that HPACK let through is a 400 here, never a header
 * injected upstream).
 */
final class Http2Messages {

    private Http2Messages() {}

    /**
     * An HTTP/2 request head as HTTP/1.1's: {@code :authority} becomes Host (unless the client sent
     * one), cookie crumbs are joined again (RFC 9113, 8.2.3), a body of unknown length is chunked.
     * A head that cannot be one (no {@code :method} or {@code :path}, a field HTTP/1.1 refuses)
     * comes with a failed decoder result, so the exchange answers 400 as to a broken HTTP/1.1 head.
     */
    static HttpRequest toRequest(Http2Headers in, boolean endStream) {
        HttpHeaders out = Http1Pipeline.REQUEST_HEADERS.newHeaders();
        CharSequence method = in.method(), path = in.path();
        try {
            StringBuilder cookie = null;
            for (Map.Entry<CharSequence, CharSequence> e : in) {
                CharSequence name = e.getKey();
                if (name.length() > 0 && name.charAt(0) == ':') continue;
                if (HttpHeaderNames.COOKIE.contentEquals(name)) {
                    cookie = cookie == null ? new StringBuilder(e.getValue()) : cookie.append("; ").append(e.getValue());
                } else {
                    out.add(name, e.getValue());
                }
            }
            if (cookie != null) out.set(HttpHeaderNames.COOKIE, cookie.toString());
            if (in.authority() != null && !out.contains(HttpHeaderNames.HOST)) out.set(HttpHeaderNames.HOST, in.authority());
            if (!endStream && !out.contains(HttpHeaderNames.CONTENT_LENGTH)) out.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            if (method == null || path == null) throw new IllegalArgumentException("an HTTP/2 request without :method or :path");
            return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method.toString()), path.toString(), out);
        } catch (IllegalArgumentException broken) {
            var request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", out);
            request.setDecoderResult(DecoderResult.failure(broken));
            return request;
        }
    }

    /** Trailers that end a request's body. */
    static LastHttpContent trailers(Http2Headers in) {
        var last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, Http1Pipeline.REQUEST_HEADERS);
        for (Map.Entry<CharSequence, CharSequence> e : in) {
            if (e.getKey().length() > 0 && e.getKey().charAt(0) != ':') last.trailingHeaders().add(e.getKey(), e.getValue());
        }
        return last;
    }

    /** An answer's head as HTTP/2's: the status, and its fields but those of one HTTP/1.1 connection. */
    static Http2Headers toHttp2(HttpResponse r) {
        var out = new DefaultHttp2Headers(false, r.headers().size() + 1);
        out.status(r.status().codeAsText());
        return fields(r.headers(), out);
    }

    /** Fields of one HTTP/1.1 connection, never sent on HTTP/2 (RFC 9113, 8.2.2); the proxy stripped those Connection named. */
    private static final AsciiString[] CONNECTION_SPECIFIC = {HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
            AsciiString.cached("proxy-connection"), HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE, HttpHeaderNames.HOST};

    /** HTTP/1.1 fields as HTTP/2's: names in lower case, without those of one connection. */
    static Http2Headers fields(HttpHeaders in, Http2Headers out) {
        for (var it = in.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            AsciiString name = AsciiString.of(e.getKey()).toLowerCase(); // itself when already lower case, as most are
            if (!connectionSpecific(name)) out.add(name, e.getValue());
        }
        return out;
    }

    private static boolean connectionSpecific(AsciiString name) {
        for (AsciiString n : CONNECTION_SPECIFIC) {
            if (n.contentEquals(name)) return true;
        }
        return false;
    }
}
