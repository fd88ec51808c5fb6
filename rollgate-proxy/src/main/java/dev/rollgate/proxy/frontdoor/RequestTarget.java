package dev.rollgate.proxy.frontdoor;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A request target as the front door routes it, and as the upstream then sees it: origin-form, with
 * percent-encoded unreserved characters decoded and dot-segments removed (RFC 3986 §6.2.2, §5.2.4).
 * Routing on the path as written would let {@code /public/../internal} through a route for
 * {@code /public}; nginx routes and forwards the normalised path the same way. An encoded slash or
 * backslash that would make a dot-segment ({@code ..%2f}) is refused: it is a segment to the
 * proxy and a step up to a server that decodes it.
 */
public final class RequestTarget {

    /** The target to route and forward, or why it is refused (answered 400). */
    public sealed interface Result permits Normalised, Refused {}

    public record Normalised(String uri) implements Result {}

    public record Refused(String reason) implements Result {}

    private RequestTarget() {}

    public static Result normalise(String target) {
        if (target.equals("*") || plain(target)) return new Normalised(target);
        String uri = target;
        if (!uri.startsWith("/")) {
            int scheme = uri.indexOf("://");
            if (scheme <= 0) return new Refused("the request target is neither a path nor an absolute URL");
            int pathStart = indexOfAny(uri, "/?#", scheme + 3);
            String authority = uri.substring(scheme + 3, pathStart < 0 ? uri.length() : pathStart);
            if (authority.indexOf('@') >= 0) return new Refused("the request target carries a user name or password");
            uri = pathStart < 0 ? "/" : uri.charAt(pathStart) == '/' ? uri.substring(pathStart) : "/" + uri.substring(pathStart);
        }
        int hash = uri.indexOf('#');
        if (hash >= 0) uri = uri.substring(0, hash);
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        String query = q < 0 ? "" : uri.substring(q);
        Deque<String> out = new ArrayDeque<>();
        String[] segments = path.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = decodeUnreserved(segments[i]);
            if (segment == null) return new Refused("the request target has a malformed percent-encoding");
            boolean last = i == segments.length - 1;
            if (segment.equals(".") || segment.equals("..")) {
                if (segment.equals("..") && !out.isEmpty()) out.removeLast();
                if (last) out.addLast(""); // "/a/b/.." is "/a/": the directory, as RFC 3986 resolves it
                continue;
            }
            if (hidesDotSegment(segment)) return new Refused("the request target has an encoded slash or backslash next to a dot-segment");
            out.addLast(segment);
        }
        String normalised = "/" + String.join("/", out) + query;
        return new Normalised(normalised);
    }

    /**
     * An origin-form target with nothing to normalise: no escape, backslash, fragment, and no
     * segment that starts with a dot. Most requests are this, and pass without being split.
     */
    private static boolean plain(String target) {
        if (target.isEmpty() || target.charAt(0) != '/') return false;
        int end = target.indexOf('?');
        if (end < 0) end = target.length();
        for (int i = 0; i < end; i++) {
            char c = target.charAt(i);
            if (c == '%' || c == '\\' || c == '#' || c == '.' && target.charAt(i - 1) == '/') return false;
        }
        return target.indexOf('#', end) < 0;
    }

    /** Decodes %XX where XX is an unreserved character (letters, digits, - . _ ~); null for a malformed escape. */
    private static String decodeUnreserved(String segment) {
        if (segment.indexOf('%') < 0) return segment;
        StringBuilder b = new StringBuilder(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c != '%') {
                b.append(c);
                continue;
            }
            if (i + 2 >= segment.length()) return null;
            int hi = Character.digit(segment.charAt(i + 1), 16), lo = Character.digit(segment.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) return null;
            char decoded = (char) (hi * 16 + lo);
            if (unreserved(decoded)) b.append(decoded);
            else b.append(segment, i, i + 3);
            i += 2;
        }
        return b.toString();
    }

    private static boolean unreserved(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~';
    }

    /** A segment such as {@code ..%2f} or {@code %5c..}: "." or ".." once a server decodes its slashes or backslashes. */
    private static boolean hidesDotSegment(String segment) {
        if (segment.indexOf('%') < 0 && segment.indexOf('\\') < 0) return false;
        String decoded = segment.replaceAll("(?i)%2f|%5c", "/").replace('\\', '/');
        for (String piece : decoded.split("/", -1)) {
            if (piece.equals(".") || piece.equals("..")) return true;
        }
        return false;
    }

    private static int indexOfAny(String s, String chars, int from) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) return i;
        }
        return -1;
    }
}
