package dev.rollgate.proxy;

import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * When the proxy sends a request again, and where: what never reached an upstream always; what an
 * upstream may have seen only when sending it twice does no harm; at most {@link #MAX_ATTEMPTS}
 * attempts, never twice to an endpoint that failed it, except after a short pause when every ready
 * endpoint failed it once. The decisions that need the routing table and the retry budget
 * ({@code ProxyServer}) are taken by the exchange; these are the rules they start from.
 */
final class RetryPolicy {

    /** Attempts of one request, across every endpoint. */
    static final int MAX_ATTEMPTS = 8;
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE);
    private static final long FIRST_PAUSE_MILLIS = 10;

    private RetryPolicy() {}

    /** RFC 9110 §9.2.2: the methods whose request, sent twice, has the effect of sending it once. */
    static boolean idempotent(HttpMethod method) {
        return IDEMPOTENT.contains(method);
    }

    /**
     * Whether a request that failed may be sent again: always when it was not sent; when it was, only
     * without a body and when idempotent, or when a reused keep-alive connection died under it (the
     * upstream closed it while idle, so the request never arrived).
     */
    static boolean replayable(boolean wasSent, boolean hasBody, boolean idempotent, boolean reusedConnection) {
        return !wasSent || !hasBody && (idempotent || reusedConnection);
    }

    /** The pause before trying again the endpoints that all failed a request: 10 ms, doubled per attempt up to 160 ms. */
    static long pauseMillis(int attempts) {
        return FIRST_PAUSE_MILLIS << Math.min(attempts, 4);
    }

    /**
     * The endpoints still excluded once every ready one failed a request: only the one that failed last (a
     * failure can be passing: a full accept queue, a reset while a server restarts).
     */
    static List<String> afterEveryOneFailed(List<String> failed) {
        return new ArrayList<>(List.of(failed.getLast()));
    }

    /**
     * Whether an error answer may be masked, that is replaced by the same request's answer from the stable
     * revision, before asking whether stable has a ready replica and the retry budget a retry: a 5xx, not
     * masked already, of an idempotent request without a body, with masking on.
     */
    static boolean maskable(int status, boolean alreadyMasked, boolean idempotent, boolean hasBody, boolean maskingOn) {
        return status >= 500 && !alreadyMasked && idempotent && !hasBody && maskingOn;
    }
}
