package dev.rollgate.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/**
 * A gRPC call's outcome as the proxy's metrics count it. A call answers HTTP 200 whatever happened;
 * its {@code grpc-status} (in the trailers, or in the headers of a trailers-only answer) says how it
 * ended. Any status but 0 (OK) counts as a server error, so that the judge's error rate, the builtin
 * metrics and outlier detection see a failing gRPC revision: UNIMPLEMENTED as 501, UNAVAILABLE as
 * 503, DEADLINE_EXCEEDED as 504, the others as 500.
 */
final class GrpcStatus {

    static final String HEADER = "grpc-status";
    private static final List<String> STATUS_HEADERS = List.of(HEADER, "grpc-message", "grpc-status-details-bin");

    private GrpcStatus() {}

    /**
     * A trailers-only answer (one HEADERS frame that ends the stream, its status in the headers) is
     * passed on as headers, then trailers that carry the status: the one shape every hop can carry,
     * and what a gRPC client reads either way. Anything else is left as it is.
     */
    static void toTrailers(HttpHeaders headers, HttpHeaders trailers, boolean hasBody) {
        if (hasBody || !trailers.isEmpty() || !headers.contains(HEADER)) return;
        for (String name : STATUS_HEADERS) {
            String value = headers.get(name);
            if (value != null) {
                trailers.set(name, value);
                headers.remove(name);
            }
        }
    }

    /** The status to count for an answer of HTTP {@code status} that ended with {@code grpc-status: grpc} (null: none). */
    static int counted(int status, String grpc) {
        if (grpc == null || status != 200) return status;
        return switch (grpc.strip()) {
            case "0" -> 200;
            case "12" -> 501;
            case "14" -> 503;
            case "4" -> 504;
            default -> 500;
        };
    }
}
