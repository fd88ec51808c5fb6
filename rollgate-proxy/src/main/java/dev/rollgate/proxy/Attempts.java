package dev.rollgate.proxy;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The tries of one exchange on its service's replicas (Envoy's router and its retry state): picks a
 * replica by the routing table, holds while none is ready, tries another when one failed the
 * request before answering, and sends a canary's error to stable instead (masking). Each try is an
 * {@link UpstreamAttempt}; the rules are {@link RetryPolicy}'s.
 */
final class Attempts {

    private final Exchange exchange;
    private final Client client;
    private final ProxyServer server;
    private final UpstreamPool pool;
    private final boolean fresh;
    private Router.Want want;
    private List<String> failed = List.of(); // endpoints that failed this request, never picked again for it
    private int count;
    private ScheduledFuture<?> holdTimer;
    private boolean masked;
    /** The revision the client is to stick to from now on (a cookie to set), or null. */
    String stickyRevision;
    /** The try under way, or null. */
    UpstreamAttempt current;

    /** {@code fresh}: every try on a new connection (an upgrade's cannot be a pooled one). */
    Attempts(Exchange exchange, Client client, ProxyServer server, UpstreamPool pool, boolean fresh) {
        this.exchange = exchange;
        this.client = client;
        this.server = server;
        this.pool = pool;
        this.fresh = fresh;
    }

    /** The replicas the request may go to ({@link Router#choose}); the first try is {@link #next}. */
    void aim(Router.Want want) {
        this.want = want;
    }

    /** Picks a replica and connects to it; holds when none is ready; fails the exchange when the tries are spent. */
    void next() {
        if (exchange.phase == ExchangePhase.FINISHED) return;
        EndpointState picked = count >= RetryPolicy.MAX_ATTEMPTS ? null : server.router().pick(want, failed);
        if (picked == null && failed.size() > 1 && count < RetryPolicy.MAX_ATTEMPTS) {
            // Every ready endpoint failed this request once. A failure can be passing (a full accept
            // queue, a connection reset while a server restarts): after a short pause, try them again,
            // all but the one that failed last, as long as attempts remain.
            failed = RetryPolicy.afterEveryOneFailed(failed);
            holdTimer = client.eventLoop().schedule(() -> {
                holdTimer = null;
                if (client.isActive()) next();
            }, RetryPolicy.pauseMillis(count), TimeUnit.MILLISECONDS);
            return;
        }
        if (picked == null) {
            if (count >= RetryPolicy.MAX_ATTEMPTS) {
                exchange.fail(HttpResponseStatus.BAD_GATEWAY, "no upstream could be reached (" + failed.size() + " failed)", null);
            } else {
                // None ready, or the only ready one just failed this request (it died under it): wait, up to the hold
                // time, for the table to bring another (its replacement, once ready), as a request that came now would.
                hold();
            }
            return;
        }
        stopHolding();
        count++;
        stickyRevision = server.router().stickTo(exchange.request.headers(), picked);
        current = new UpstreamAttempt(exchange, picked, client, pool, server.config().timeouts().upstreamResponse().toNanos(),
                server.router().outliers(), server.limits().upstreamProtocol());
        current.connect(fresh);
    }

    /** No endpoint is ready: wait for the table to change, up to the hold time. */
    private void hold() {
        if (holdTimer == null) {
            holdTimer = client.eventLoop().schedule(() -> {
                if (exchange.phase != ExchangePhase.FINISHED && current == null) {
                    exchange.fail(HttpResponseStatus.SERVICE_UNAVAILABLE, "no ready endpoint", null);
                }
            }, server.config().holdWhenNoEndpoint().toMillis(), TimeUnit.MILLISECONDS);
        }
        server.router().awaitUpdate(client.eventLoop(), () -> {
            if (exchange.phase != ExchangePhase.FINISHED && current == null && client.isActive()) next();
        }, () -> exchange.phase == ExchangePhase.FINISHED || !client.isActive());
    }

    /**
     * The try under way failed before any answer reached the client. When the request may be sent
     * again (it never left the proxy; or it is idempotent without a body, which costs from the retry
     * budget since the replica may have seen it), the replica is not picked again for it and the next
     * try starts: null. Otherwise the replica is charged with a socket error and the client's words
     * for the 502 are returned: what failed, not where (upstream addresses stay inside).
     */
    String retry(Throwable cause, boolean wasSent, RequestTraits traits) {
        boolean replayable = RetryPolicy.replayable(wasSent, traits.hasBody(), traits.idempotent(), current.reused);
        if (replayable && client.isActive() && (!wasSent || server.budget().tryRetry())) {
            if (failed.isEmpty()) failed = new ArrayList<>(2);
            failed.add(current.endpoint.endpoint.id());
            current.chargeFailedTry();
            current.end(false);
            current = null;
            next();
            return null;
        }
        current.chargeSocketError();
        return "the upstream " + (cause == null ? "closed the connection" : "connection failed") + " before a response"
                + (replayable ? "" : " and the request cannot be sent again safely");
    }

    /**
     * The replica left the try's stream unprocessed (its GOAWAY, or REFUSED_STREAM): the body that
     * went out is held again and the request goes to a new stream (on another connection; the same
     * replica may take it). Not a failure of the replica: it is neither charged nor left out of the
     * next pick; the try still counts toward {@link RetryPolicy#MAX_ATTEMPTS}, so a replica that
     * refuses everything ends in a 502.
     */
    void refused(RequestBody body, List<HttpContent> sent) {
        body.putBack(sent);
        current.end(false);
        current = null;
        next();
    }

    /**
     * A canary's error answer, discarded when it may be (masking on, the request replayable, stable
     * ready, budget left): the canary is charged with it and the next try goes to stable. False when
     * the answer must go to the client.
     */
    boolean maskError(int status, RequestTraits traits, long micros, Mirror.Pair mirrored) {
        if (!RetryPolicy.maskable(status, masked, traits.idempotent(), traits.hasBody(), server.masking())) return false;
        String stable = server.router().table().stable();
        if (stable == null || stable.equals(current.endpoint.endpoint.revision()) || !server.router().hasReady(stable)
                || !server.budget().tryRetry()) {
            return false;
        }
        masked = true;
        current.answered(status, micros, mirrored);
        current.chargeRetry();
        current.end(false);
        current = null;
        want = new Router.Want(false, stable);
        return true;
    }

    /** Whether the request went to more than one replica (a retry or a masked error). */
    boolean retried() {
        return count > 1 || masked;
    }

    /** Ends the try under way ({@link UpstreamAttempt#end}) and any wait for a replica. */
    void end(boolean keepConnection) {
        stopHolding();
        if (current != null) current.end(keepConnection);
        current = null;
    }

    private void stopHolding() {
        if (holdTimer != null) holdTimer.cancel(false);
    }
}
