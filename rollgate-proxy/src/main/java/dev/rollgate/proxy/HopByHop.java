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
        if (connection != null && !(isPlain(connection) && single(headers))) {
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

    private static boolean single(HttpHeaders headers) {
        var values = headers.valueStringIterator(HttpHeaderNames.CONNECTION);
        values.next();
        return !values.hasNext();
    }

    /** "close" or "keep-alive" alone (almost every message): it names no header beyond those always removed. */
    private static boolean isPlain(String connection) {
        return connection.equalsIgnoreCase("keep-alive") || connection.equalsIgnoreCase("close");
    }
}
