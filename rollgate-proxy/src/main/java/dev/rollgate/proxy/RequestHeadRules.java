package dev.rollgate.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Iterator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a request head must be before a proxy forwards any of it (RFC 9112 §2.3, §3.2): HTTP/1.0
 * or 1.1, exactly one Host on HTTP/1.1 (at most one on 1.0), and an absolute-form target that
 * agrees with it. A server behind the proxy that read such a request differently from the proxy
 * is how requests are smuggled past it.
 */
final class RequestHeadRules {

    private static final Pattern ABSOLUTE = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)");

    /** Why a head is refused, and with which status. */
    record Violation(HttpResponseStatus status, String reason) {}

    private RequestHeadRules() {}

    /** The first rule {@code request} breaks, or null when it may be forwarded. */
    static Violation check(HttpRequest request) {
        HttpVersion v = request.protocolVersion();
        if (!v.protocolName().equals("HTTP") || v.majorVersion() != 1 || v.minorVersion() > 1) {
            return new Violation(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, v.text() + " is not supported (HTTP/1.0 and HTTP/1.1 are)");
        }
        // On every request: walk the Host values without building a list, and match the target only when it is not origin-form.
        Iterator<String> hosts = request.headers().valueStringIterator(HttpHeaderNames.HOST);
        String host = hosts.hasNext() ? hosts.next() : null;
        if (hosts.hasNext()) return new Violation(HttpResponseStatus.BAD_REQUEST, "more than one Host header");
        if (host == null && v.minorVersion() == 1) return new Violation(HttpResponseStatus.BAD_REQUEST, "an HTTP/1.1 request needs a Host header");
        String uri = request.uri();
        if (host == null || uri.startsWith("/")) return null;
        Matcher m = ABSOLUTE.matcher(uri);
        if (m.find()) {
            String authority = m.group(1);
            authority = authority.substring(authority.lastIndexOf('@') + 1);
            if (!authority.equalsIgnoreCase(host.trim())) {
                return new Violation(HttpResponseStatus.BAD_REQUEST, "the request target's host (" + authority
                        + ") differs from the Host header (" + host.trim() + ")");
            }
        }
        return null;
    }
}
