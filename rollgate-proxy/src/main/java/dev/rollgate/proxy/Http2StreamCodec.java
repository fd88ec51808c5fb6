package dev.rollgate.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.AsciiString;
import java.util.Map;

/**
 * An HTTP/2 stream of a client, for its exchange: frames in, the request as HTTP/1.1's decoder gives
 * one (a head, then its body, the end with the trailers); the answer's head and body out as frames.
 * The headers are mapped straight across, each once: no extension headers, no copy of a whole
 * request. The request's headers are validated as an HTTP/1.1 client's are (a CR, LF or NUL that
 * HPACK let through is a 400 here, never a header injected upstream).
 */
final class Http2StreamCodec extends ChannelDuplexHandler {

    private boolean headRead;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2HeadersFrame h) {
            if (!headRead) {
                headRead = true;
                ctx.fireChannelRead(toRequest(h.headers(), h.isEndStream()));
                if (h.isEndStream()) ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
            } else {
                ctx.fireChannelRead(trailers(h.headers()));
            }
        } else if (msg instanceof Http2DataFrame d) {
            ctx.fireChannelRead(d.isEndStream() ? new DefaultLastHttpContent(d.content()) : new DefaultHttpContent(d.content()));
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * The answer's objects as frames. When one object makes two frames, the first goes with the void
     * promise (a failed write is the pipeline's exception, which closes the stream) and the last with
     * the caller's, so that no promise is combined per write.
     */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse r) {
            boolean informational = r.status().codeClass() == HttpStatusClass.INFORMATIONAL; // 100: a HEADERS frame, the answer follows
            boolean ends = !informational && msg instanceof LastHttpContent last && !last.content().isReadable() && last.trailingHeaders().isEmpty();
            var head = new DefaultHttp2HeadersFrame(toHttp2(r), ends);
            if (!(msg instanceof HttpContent c)) {
                ctx.write(head, promise);
            } else if (ends || informational) {
                c.release();
                ctx.write(head, promise);
            } else {
                ctx.write(head, ctx.voidPromise());
                writeBody(ctx, c, promise);
            }
        } else if (msg instanceof HttpContent c) {
            writeBody(ctx, c, promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    /** A piece of the answer's body as DATA; its end as DATA with END_STREAM, or the trailers as HEADERS that end it. */
    private static void writeBody(ChannelHandlerContext ctx, HttpContent c, ChannelPromise promise) {
        if (!(c instanceof LastHttpContent last)) {
            ctx.write(new DefaultHttp2DataFrame(c.content(), false), promise);
        } else if (last.trailingHeaders().isEmpty()) {
            ctx.write(new DefaultHttp2DataFrame(last.content(), true), promise);
        } else {
            if (last.content().isReadable()) ctx.write(new DefaultHttp2DataFrame(last.content(), false), ctx.voidPromise());
            else last.release();
            ctx.write(new DefaultHttp2HeadersFrame(fields(last.trailingHeaders(), new DefaultHttp2Headers(false)), true), promise);
        }
    }

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
    private static LastHttpContent trailers(Http2Headers in) {
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
    private static Http2Headers fields(HttpHeaders in, Http2Headers out) {
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
