package dev.rollgate.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/** Reads one cookie from a request's Cookie headers without parsing the rest. */
final class Cookies {

    private Cookies() {}

    static String get(HttpHeaders headers, String name) {
        for (String header : headers.getAll(HttpHeaderNames.COOKIE)) {
            for (String pair : header.split(";")) {
                String p = pair.strip();
                if (p.length() > name.length() && p.startsWith(name) && p.charAt(name.length()) == '=') {
                    return p.substring(name.length() + 1);
                }
            }
        }
        return null;
    }
}
