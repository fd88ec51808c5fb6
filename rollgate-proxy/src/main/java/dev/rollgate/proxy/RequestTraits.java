package dev.rollgate.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * What a request's head says about how to carry it, read once: whether it may be sent twice
 * (idempotent), whether a body follows, whether the client keeps the connection, whether it asks
 * HEAD (the answer has no body), whether it asks to switch protocols, and whether it is HTTP/1.0.
 */
record RequestTraits(boolean idempotent, boolean hasBody, boolean keepAlive, boolean headMethod, boolean upgrade, boolean http10) {

    static RequestTraits of(HttpRequest request) {
        return new RequestTraits(RetryPolicy.idempotent(request.method()),
                HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0,
                HttpUtil.isKeepAlive(request),
                request.method().equals(HttpMethod.HEAD),
                request.headers().contains(HttpHeaderNames.UPGRADE)
                        && request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true),
                request.protocolVersion().equals(HttpVersion.HTTP_1_0));
    }
}
