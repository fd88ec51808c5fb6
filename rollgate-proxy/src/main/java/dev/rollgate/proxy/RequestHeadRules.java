package dev.rollgate.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
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
        List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1) return new Violation(HttpResponseStatus.BAD_REQUEST, "more than one Host header");
        if (hosts.isEmpty() && v.minorVersion() == 1) return new Violation(HttpResponseStatus.BAD_REQUEST, "an HTTP/1.1 request needs a Host header");
        Matcher m = ABSOLUTE.matcher(request.uri());
        if (m.find() && !hosts.isEmpty()) {
            String authority = m.group(1);
            authority = authority.substring(authority.lastIndexOf('@') + 1);
            if (!authority.equalsIgnoreCase(hosts.getFirst().trim())) {
                return new Violation(HttpResponseStatus.BAD_REQUEST, "the request target's host (" + authority
                        + ") differs from the Host header (" + hosts.getFirst().trim() + ")");
            }
        }
        return null;
    }
}
