package dev.rollgate.proxy.frontdoor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which service a request on the public listener is for: by {@code Host} (exact, or a wildcard
 * {@code *.example.com} for one more label) and by path prefix (longest first, optionally
 * stripped). An exact host wins over a wildcard, as in nginx's server_name.
 */
public record FrontDoorRoutes(List<Route> routes) {

    /**
     * One service's share of the front door.
     *
     * @param hosts           host names, exact or {@code *.domain}; empty: any host
     * @param pathPrefix      "/" for everything, or "/api" (matches "/api" and "/api/..." but not "/apix")
     * @param stripPrefix     the upstream sees the path without the prefix
     * @param httpsRedirect   a request on plain HTTP is answered 308 to the same URL on https
     * @param hstsSeconds     Strict-Transport-Security max-age on HTTPS answers (0: none)
     */
    public record Route(String service, List<String> hosts, String pathPrefix, boolean stripPrefix, boolean httpsRedirect,
                        long hstsSeconds) {
        public Route {
            hosts = hosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
            pathPrefix = pathPrefix == null || pathPrefix.isEmpty() ? "/" : pathPrefix.endsWith("/") && pathPrefix.length() > 1
                    ? pathPrefix.substring(0, pathPrefix.length() - 1) : pathPrefix;
        }
    }

    /** The route a request matched, and the path the upstream should see. */
    public record Match(Route route, String path) {}

    public static final FrontDoorRoutes NONE = new FrontDoorRoutes(List.of());

    public FrontDoorRoutes {
        routes = List.copyOf(routes);
    }

    /** The route for {@code host} (port and case ignored) and {@code path} (with its query), if any. */
    public Optional<Match> match(String host, String path) {
        String h = hostOf(host).toLowerCase(Locale.ROOT);
        String p = path == null || path.isEmpty() ? "/" : path;
        Route best = null;
        int bestRank = -1;
        for (Route r : routes) {
            int hostRank = hostRank(r, h);
            if (hostRank < 0 || !prefixMatches(r.pathPrefix(), p)) continue;
            int rank = hostRank * 100_000 + r.pathPrefix().length();
            if (rank > bestRank) {
                best = r;
                bestRank = rank;
            }
        }
        if (best == null) return Optional.empty();
        String forwarded = p;
        if (best.stripPrefix() && !best.pathPrefix().equals("/")) {
            forwarded = p.substring(best.pathPrefix().length());
            if (forwarded.isEmpty() || forwarded.charAt(0) == '?') forwarded = "/" + forwarded;
        }
        return Optional.of(new Match(best, forwarded));
    }

    /** 2: exact host, 1: wildcard, 0: a route for any host, -1: no match. */
    private static int hostRank(Route r, String host) {
        if (r.hosts().isEmpty()) return 0;
        int rank = -1;
        for (String h : r.hosts()) {
            if (h.equals(host)) return 2;
            if (h.startsWith("*.") && host.endsWith(h.substring(1)) && host.indexOf('.') == host.length() - h.length() + 1) rank = 1;
        }
        return rank;
    }

    private static boolean prefixMatches(String prefix, String path) {
        if (prefix.equals("/")) return true;
        if (!path.startsWith(prefix)) return false;
        if (path.length() == prefix.length()) return true;
        char next = path.charAt(prefix.length());
        return next == '/' || next == '?';
    }

    /** A Host header's host, without its port ("" when there is none). */
    public static String hostOf(String host) {
        if (host == null) return "";
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    /** Routes of two services that would take the same requests: each pair named, for {@code apply} to refuse. */
    public static List<String> conflicts(List<Route> routes) {
        List<String> out = new ArrayList<>();
        List<Route> sorted = routes.stream().sorted(Comparator.comparing(Route::service)).toList();
        for (int i = 0; i < sorted.size(); i++) {
            for (int j = i + 1; j < sorted.size(); j++) {
                Route a = sorted.get(i), b = sorted.get(j);
                if (a.service().equals(b.service()) || !a.pathPrefix().equals(b.pathPrefix())) continue;
                List<String> shared = a.hosts().isEmpty() && b.hosts().isEmpty() ? List.of("any host")
                        : a.hosts().stream().filter(b.hosts()::contains).toList();
                if (!shared.isEmpty()) {
                    out.add("services " + a.service() + " and " + b.service() + " both route " + String.join(", ", shared)
                            + " with path prefix " + a.pathPrefix());
                }
            }
        }
        return out;
    }
}
