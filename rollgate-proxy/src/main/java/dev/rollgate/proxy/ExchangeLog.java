package dev.rollgate.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.time.Instant;

/**
 * What an exchange leaves behind once it has a status: its status and time charged to the replica
 * and its revision (what the judge reads), the mirror's pairing of the two answers, and on the front
 * door one access-log line.
 */
final class ExchangeLog {

    private ExchangeLog() {}

    /** Charges {@code endpoint} (null: no replica answered) with the status, {@code micros} after the request came. */
    static void record(EndpointState endpoint, int status, long micros, Mirror.Pair mirrored) {
        if (endpoint == null || status == 0) return;
        endpoint.endpointStats.record(status, micros);
        endpoint.revisionStats.record(status, micros);
        // Paired only with an answer from another revision than the copy's (not a masked canary error).
        if (mirrored != null && !endpoint.endpoint.revision().equals(mirrored.route.revision())) mirrored.primary(status, micros);
    }

    /** The access-log line of a request the replica {@code endpoint} answered (null: the proxy answered it). */
    static AccessLog.Entry entry(HttpRequest request, CharSequence idHeader, int status, long bytes, long nanos, Endpoint endpoint,
                                 boolean retried, String client, boolean tls) {
        return new AccessLog.Entry(Instant.now(), request.headers().get(idHeader), request.headers().get(HttpHeaderNames.HOST),
                request.method().name(), request.uri(), status, bytes, nanos / 1_000_000.0, endpoint == null ? null : endpoint.revision(),
                endpoint == null ? null : endpoint.id(), retried, client, tls);
    }
}
