package dev.rollgate.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * The edits a request's head gets on its way to a replica, and a response's head on its way back
 * to the client, made in place (the message is forwarded as is): the hop-by-hop headers of the
 * other connection go, a body without a length is chunked, and each side gets what it is owed.
 */
final class HeadRewrite {

    private HeadRewrite() {}

    /** What the proxy tells the replica about the client ({@link ForwardedHeaders}). */
    record ToUpstream(AsciiString address, boolean trusted, boolean tls, CharSequence requestIdHeader) {}

    /**
     * What the client is owed: {@code keepAlive} and {@code http10} are its own (an HTTP/1.0 client is
     * told keep-alive), {@code headRequest} that it asked HEAD (no body follows), {@code stickyCookie}
     * a {@code name=revision} to set, or null; HSTS when {@code hstsSeconds} > 0.
     */
    record ToClient(boolean headRequest, boolean keepAlive, boolean http10, String stickyCookie, long hstsSeconds) {}

    /**
     * The request as the replica sees it: HTTP/1.1 (or, to an h2c replica, its HTTP/2 form, which
     * keeps {@code te: trailers}, as gRPC needs), forwarded headers set, an upgrade (a WebSocket's) kept.
     */
    static void toUpstream(HttpRequest request, boolean upgrade, boolean hasBody, boolean h2c, ToUpstream client) {
        HttpHeaders h = request.headers();
        String upgradeTo = h.get(HttpHeaderNames.UPGRADE);
        boolean trailers = h2c && h.containsValue(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS, true);
        HopByHop.strip(h);
        if (trailers) h.set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
        if (upgrade) h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE).set(HttpHeaderNames.UPGRADE, upgradeTo);
        if (hasBody && !h.contains(HttpHeaderNames.CONTENT_LENGTH)) h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        ForwardedHeaders.apply(h, client.address(), client.trusted(), client.tls(), client.requestIdHeader());
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    /** The response as the client gets it; says whether the replica's connection can carry another request. */
    static boolean toClient(HttpResponse response, ToClient client) {
        HttpHeaders h = response.headers();
        boolean upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        HopByHop.strip(h);
        int status = response.status().code();
        boolean noBody = client.headRequest() || status == 204 || status == 304 || status / 100 == 1;
        if (!noBody && !h.contains(HttpHeaderNames.CONTENT_LENGTH)) h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        if (!client.keepAlive()) h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        else if (client.http10()) h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        if (client.stickyCookie() != null) h.add(HttpHeaderNames.SET_COOKIE, client.stickyCookie() + "; Path=/; HttpOnly");
        OwnResponses.hsts(h, client.hstsSeconds());
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        return upstreamKeepAlive;
    }
}
