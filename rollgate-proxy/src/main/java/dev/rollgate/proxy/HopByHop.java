package dev.rollgate.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;

/** RFC 9110 §7.6.1: headers that belong to one connection and are never forwarded, plus those named in Connection. */
final class HopByHop {

    private static final CharSequence[] ALWAYS = {
            HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.PROXY_AUTHENTICATE,
            HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.TE, HttpHeaderNames.TRAILER,
            HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE, "proxy-connection"};

    private HopByHop() {}

    /**
     * Removes hop-by-hop headers in place. Transfer-Encoding is removed too; the caller sets
     * chunked again when the message is streamed without a length.
     */
    static void strip(HttpHeaders headers) {
        String connection = headers.get(HttpHeaderNames.CONNECTION);
        List<String> named = null;
        if (connection != null) {
            named = new ArrayList<>();
            for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
                for (String token : value.split(",")) {
                    String t = token.strip();
                    if (!t.isEmpty()) named.add(t);
                }
            }
        }
        for (CharSequence name : ALWAYS) headers.remove(name);
        if (named != null) named.forEach(headers::remove);
    }
}
