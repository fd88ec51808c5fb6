package dev.rollgate.spec;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Where Rollgate's proxy listens for the service's clients, and the clocks it keeps against slow
 * peers; and the service's share of the front door (the daemon's public listener), if it has one.
 *
 * @param errorMasking        retry an idempotent request that failed on a canary once on stable, so users do not see it
 * @param firstRequestTimeout a new connection must send its first request within this
 * @param sendTimeout         a client that reads nothing of its response for this long is dropped
 * @param upstreamTimeout     a replica that sends nothing for this long while a request waits on it: 504
 * @param hosts               the front door sends requests for these hosts here (exact, or *.domain)
 * @param pathPrefix          ... under this path ("/" for all)
 * @param stripPrefix         the replicas see the path without the prefix
 * @param tls                 the certificate of {@code hosts} on the TLS listener, or null
 * @param httpsRedirect       plain-HTTP requests are answered 308 to https
 * @param hsts                Strict-Transport-Security max-age on HTTPS answers (zero: none)
 * @param maxRequestBodyBytes a larger request body is refused with 413 (0: no limit)
 * @param bufferRequests      a request's body is read whole before a replica is chosen
 * @param errorPages          the service's own pages (files) for the errors the proxy answers, by status
 * @param outlierDetection    when a replica that keeps failing is set aside by the proxy
 * @param compression         which responses the proxy compresses; null: none
 * @param upstreamProtocol    what the replicas speak: "http1", or "h2c" (HTTP/2 in clear text, as gRPC servers do)
 */
public record ServiceSpec(int port, boolean errorMasking, Duration firstRequestTimeout, Duration sendTimeout, Duration upstreamTimeout,
                          List<String> hosts, String pathPrefix, boolean stripPrefix, Tls tls, boolean httpsRedirect,
                          Duration hsts, long maxRequestBodyBytes, boolean bufferRequests, Map<String, String> errorPages,
                          OutlierDetection outlierDetection, Compression compression, String upstreamProtocol) {

    /** Where a host's certificate comes from: PEM files (reloaded when they change), or ACME. */
    public record Tls(String certFile, String keyFile, boolean acme) {}

    /**
     * Passive health (Istio's outlierDetection): a replica that fails {@code consecutive5xxErrors}
     * requests in a row (5xx, failed connections, timeouts; 0: off) leaves routing for
     * {@code baseEjectionTime} times its number of ejections, at most {@code maxEjectionTime}; at most
     * {@code maxEjectionPercent} of a revision's replicas are out at once, and never all of them.
     */
    public record OutlierDetection(int consecutive5xxErrors, Duration baseEjectionTime, Duration maxEjectionTime, int maxEjectionPercent) {

        public static final OutlierDetection DEFAULT = new OutlierDetection(5, Duration.ofSeconds(30), Duration.ofSeconds(300), 50);
    }

    /**
     * Response compression (Caddy's encode, Traefik's Compress): responses the client accepts
     * compressed and the replica sent as is, of {@code contentTypes}, at least {@code minResponseBodyBytes}
     * long, in the first of {@code encodings} the client takes most willingly.
     */
    public record Compression(List<String> encodings, int minResponseBodyBytes, List<String> contentTypes) {

        public static final List<String> ENCODINGS = List.of("zstd", "br", "gzip");
        public static final int MIN_RESPONSE_BODY_BYTES = 1024;
        public static final List<String> CONTENT_TYPES = List.of("text/*", "application/json", "application/*+json", "application/javascript",
                "application/xml", "application/*+xml", "image/svg+xml");

        public Compression {
            encodings = encodings == null || encodings.isEmpty() ? ENCODINGS : List.copyOf(encodings);
            contentTypes = contentTypes == null || contentTypes.isEmpty() ? CONTENT_TYPES : List.copyOf(contentTypes);
        }
    }

    public ServiceSpec(int port, boolean errorMasking, Duration firstRequestTimeout, Duration sendTimeout, Duration upstreamTimeout) {
        this(port, errorMasking, firstRequestTimeout, sendTimeout, upstreamTimeout, List.of(), "/", false, null, false, Duration.ZERO,
                0, false, Map.of(), OutlierDetection.DEFAULT, null, HTTP1);
    }

    /** Whether the front door routes to this service. */
    public boolean onFrontDoor() {
        return !hosts.isEmpty();
    }

    public static final String HTTP1 = "http1";
    public static final String H2C = "h2c";
    public static final Duration FIRST_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(60);

    public ServiceSpec {
        // Stores written before these fields existed read back with the defaults.
        if (firstRequestTimeout == null) firstRequestTimeout = FIRST_REQUEST_TIMEOUT;
        if (sendTimeout == null) sendTimeout = SEND_TIMEOUT;
        if (upstreamTimeout == null) upstreamTimeout = UPSTREAM_TIMEOUT;
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
        if (pathPrefix == null) pathPrefix = "/";
        if (hsts == null) hsts = Duration.ZERO;
        errorPages = errorPages == null ? Map.of() : Map.copyOf(errorPages);
        if (outlierDetection == null) outlierDetection = OutlierDetection.DEFAULT;
        if (upstreamProtocol == null) upstreamProtocol = HTTP1;
    }
}
