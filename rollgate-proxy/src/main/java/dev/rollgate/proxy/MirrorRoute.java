package dev.rollgate.proxy;

import io.netty.handler.codec.http.HttpRequest;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Argo Rollouts' setMirrorRoute as the proxy applies it: a copy of each request that meets one
 * of {@code match} (GET and HEAD when none is given), for {@code percentage} percent of them, goes
 * to {@code revision}; its answer is compared with the one the client got, never sent to it.
 *
 * @param compareBody   also compare a digest of each answer's body, and its headers other than {@code ignoreHeaders}
 * @param ignoreHeaders response headers left out of the comparison (Date, Server and hop-by-hop ones always are)
 */
public record MirrorRoute(String revision, int percentage, List<Match> match, boolean compareBody, List<String> ignoreHeaders) {

    public MirrorRoute {
        match = List.copyOf(match);
        ignoreHeaders = ignoreHeaders.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        if (percentage < 0 || percentage > 100) throw new IllegalArgumentException("percentage is 0 to 100: " + percentage);
    }

    /** Methods mirrored when no match names any: those that change nothing. */
    static final Set<String> SAFE = Set.of("GET", "HEAD");

    /**
     * One alternative: every condition given must hold. {@code method} exact (null: any of GET and
     * HEAD), the path by {@code pathMode} (null: any), and the headers as a match route tests them;
     * {@code pattern} is the path's regular expression compiled once.
     */
    public record Match(String method, MatchRoute.Mode pathMode, String path, List<MatchRoute.When> headers, Pattern pattern) {
        public Match {
            headers = List.copyOf(headers);
            if (pattern == null && pathMode == MatchRoute.Mode.REGEX) pattern = Pattern.compile(path);
        }

        public Match(String method, MatchRoute.Mode pathMode, String path, List<MatchRoute.When> headers) {
            this(method, pathMode, path, headers, null);
        }

        /** Equal when everything but the compiled pattern is: it follows from the path. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Match m && Objects.equals(m.method, method) && m.pathMode == pathMode
                    && Objects.equals(m.path, path) && m.headers.equals(headers);
        }

        @Override
        public int hashCode() {
            return Objects.hash(method, pathMode, path, headers);
        }

        boolean test(HttpRequest request) {
            String m = request.method().name();
            if (method == null ? !SAFE.contains(m) : !method.equals(m)) return false;
            if (pathMode != null) {
                String p = pathOf(request.uri());
                boolean ok = switch (pathMode) {
                    case EXACT -> p.equals(path);
                    case PREFIX -> p.startsWith(path);
                    case REGEX -> pattern.matcher(p).matches();
                };
                if (!ok) return false;
            }
            for (MatchRoute.When w : headers) {
                if (!w.test(request.headers())) return false;
            }
            return true;
        }
    }

    /** Whether {@code request} is one to mirror (before the percentage is drawn). */
    boolean matches(HttpRequest request) {
        if (match.isEmpty()) return SAFE.contains(request.method().name());
        for (Match m : match) {
            if (m.test(request)) return true;
        }
        return false;
    }

    static String pathOf(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }
}
