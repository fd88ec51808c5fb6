package dev.rollgate.proxy;

import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;

/** The response encoder, told by the proxy when the response answers a HEAD (which never has a body). */
final class HeadAwareResponseEncoder extends HttpResponseEncoder {

    boolean head;

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
        return head || super.isContentAlwaysEmpty(msg);
    }
}
