package dev.rollgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One request on a client connection ({@link FrontendHandler}), from its head to the last byte of its
 * response: the traffic gate, the choice of a replica and the retries, the request and response
 * streamed both ways with back-pressure, error masking, mirroring, and what it costs the replica's
 * statistics and the access log.
 */
final class Exchange implements Upstream {

    /** bufferRequests reads a body whole up to this; a larger one streams on once a replica is chosen. */
    private static final long MAX_BUFFERED_BODY = 8L << 20;

    /** Where an exchange stands, from the request's head to the last byte of its response. */
    enum Phase {
        /** bufferRequests: the body is read whole (up to a limit) before a replica is chosen. */
        BUFFERING,
        /** Choosing a replica, connecting to it, or holding for a ready one: nothing has reached an upstream. */
        CONNECTING,
        /** The head went to an upstream (the body may still stream); no response has gone to the client. */
        SENT,
        /** The response's head went to the client; its body streams. */
        RESPONDING,
        /** A 101: the connection is becoming a byte relay. */
        SWITCHING,
        /** Answered, failed or abandoned: nothing more happens. */
        FINISHED
    }

    private final FrontendHandler conn;
    private final ChannelHandlerContext ctx;
    // The service this request goes to: on the front door, the choice made for it (the connection's next request may choose another).
    private final ProxyServer server;
    private final UpstreamPool pool;
    private final long hstsSeconds;

    final HttpRequest request;
    final boolean idempotent;
    final boolean hasBody;
    final boolean keepAlive;
    final boolean head;
    final boolean upgrade;
    final long startNanos = System.nanoTime();
    List<String> failed = List.of(); // endpoints that failed this request, never picked again for it
    final List<HttpContent> buffered = new ArrayList<>(0);
    boolean upstreamUnflushed;
    boolean clientUnflushed;
    Router.Want want;
    Phase phase = Phase.CONNECTING;
    boolean requestDone;   // the client's request has been read to its end
    boolean masked;        // a canary's error was discarded and the request sent to stable instead
    boolean reused;        // this attempt's upstream connection came from the pool
    boolean upstreamReusable = true;
    int attempts;
    int status;
    EndpointState endpoint;
    Channel upstream;
    ScheduledFuture<?> holdTimer;
    ProxyServer.Hold pauseHold;    // a slot of a pause, while this request waits in it
    ScheduledFuture<?> pauseTimer; // the pause's limit for this request
    String setStickyRevision;
    HttpRequest outbound;
    long lastUpstreamNanos; // when the request was sent, or the upstream last sent anything
    long requestBytes;
    long responseBytes;
    boolean logged;
    String loggedEndpoint;
    String loggedRevision;
    Mirror.Pair mirrored;   // a copy of this request went to the mirror route's revision

    /** The exchange of {@code request} on {@code conn}, whose service is known (the front door has chosen it). */
    Exchange(FrontendHandler conn, HttpRequest request) {
        this.conn = conn;
        this.ctx = conn.ctx;
        this.server = conn.server;
        this.pool = conn.pool;
        this.hstsSeconds = conn.hstsSeconds;
        this.request = request;
        this.idempotent = RetryPolicy.idempotent(request.method());
        this.hasBody = HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
        this.keepAlive = HttpUtil.isKeepAlive(request);
        this.head = request.method().equals(HttpMethod.HEAD);
        this.upgrade = request.headers().contains(HttpHeaderNames.UPGRADE)
                && request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
        if (HttpUtil.is100ContinueExpected(request)) {
            // Answered here, so the body streams on; the upstream then sees a plain request.
            request.headers().remove(HttpHeaderNames.EXPECT);
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
    }

    /** Whether the head reached an upstream (from then on the body streams straight to it). */
    boolean headSent() {
        return phase == Phase.SENT || phase == Phase.RESPONDING || phase == Phase.SWITCHING;
    }

    /** Whether anything of a response went to the client: from then on nothing can be retried or replaced. */
    boolean responseStarted() {
        return phase == Phase.RESPONDING || phase == Phase.SWITCHING;
    }

    void begin() {
        switch (TrafficGate.at(server.pressured(), server.traffic())) {
            case TrafficGate.Refuse refused -> {
                fail(HttpResponseStatus.SERVICE_UNAVAILABLE, refused.message(), refused.retryAfter());
                return;
            }
            case TrafficGate.Hold hold -> {
                var loop = ctx.channel().eventLoop();
                pauseHold = server.hold(() -> loop.execute(() -> {
                    endPause();
                    if (phase != Phase.FINISHED && ctx.channel().isActive()) begin();
                }));
                if (pauseHold == null) {
                    fail(HttpResponseStatus.SERVICE_UNAVAILABLE, TrafficGate.PAUSE_FULL, "1");
                    return;
                }
                pauseTimer = ctx.executor().schedule(() -> {
                    pauseTimer = null;
                    if (pauseHold != null && pauseHold.cancel()) {
                        pauseHold = null;
                        fail(HttpResponseStatus.SERVICE_UNAVAILABLE, TrafficGate.outstayed(hold.maxSeconds()), "1");
                    }
                }, hold.maxSeconds(), TimeUnit.SECONDS);
                return;
            }
            case TrafficGate.Open open -> {
                // on to a replica
            }
        }
        long max = server.limits().maxRequestBodyBytes();
        if (max > 0 && HttpUtil.getContentLength(request, 0L) > max) {
            tooLarge();
            return;
        }
        server.budget().onRequest();
        want = server.router().choose(request.headers(), conn.preview);
        // An h2c upgrade offer (the JDK client's default) is answered over HTTP/1.1 and mirrored as a plain request.
        if (mirrored == null && !hasBody && !conn.preview) mirrored = server.mirror().offer(request);
        if (hasBody && !requestDone && server.limits().bufferRequests()) {
            phase = Phase.BUFFERING;
            return;
        }
        attempt();
    }

    private void tooLarge() {
        conn.closing = true;
        fail(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "the request body is larger than " + server.limits().maxRequestBodyBytes() + " bytes");
    }

    void attempt() {
        if (phase == Phase.FINISHED) return;
        EndpointState picked = attempts >= RetryPolicy.MAX_ATTEMPTS ? null : server.router().pick(want, failed);
        if (picked == null && failed.size() > 1 && attempts < RetryPolicy.MAX_ATTEMPTS) {
            // Every ready endpoint failed this request once. A failure can be passing (a full accept
            // queue, a connection reset while a server restarts): after a short pause, try them again,
            // all but the one that failed last, as long as attempts remain.
            failed = RetryPolicy.afterEveryOneFailed(failed);
            holdTimer = ctx.executor().schedule(() -> {
                holdTimer = null;
                if (phase != Phase.FINISHED && ctx.channel().isActive()) attempt();
            }, RetryPolicy.pauseMillis(attempts), TimeUnit.MILLISECONDS);
            return;
        }
        if (picked == null) {
            if (attempts >= RetryPolicy.MAX_ATTEMPTS) {
                fail(HttpResponseStatus.BAD_GATEWAY, "no upstream could be reached (" + failed.size() + " failed)");
            } else {
                // None ready, or the only ready one just failed this request (it died under it): wait, up to the hold
                // time, for the table to bring another (its replacement, once ready), as a request that came now would.
                hold();
            }
            return;
        }
        if (holdTimer != null) holdTimer.cancel(false);
        attempts++;
        endpoint = picked;
        picked.endpointStats.inFlight.incrementAndGet();
        setStickyRevision = server.router().stickTo(request.headers(), picked);
        Channel ch = upgrade ? null : pool.pooled(picked.endpoint);
        if (ch != null) {
            reused = true;
            onConnected(ch);
            return;
        }
        reused = false;
        EndpointState target = picked;
        pool.connect(picked.endpoint).addListener((ChannelFutureListener) f -> {
            if (phase == Phase.FINISHED || endpoint != target) {
                if (f.isSuccess()) f.channel().close();
                return;
            }
            if (f.isSuccess()) onConnected(f.channel());
            else retryOrFail(f.cause(), false);
        });
    }

    /** No endpoint is ready: wait for the table to change, up to the hold time. */
    private void hold() {
        if (holdTimer == null) {
            holdTimer = ctx.executor().schedule(() -> {
                if (phase != Phase.FINISHED && endpoint == null) fail(HttpResponseStatus.SERVICE_UNAVAILABLE, "no ready endpoint");
            }, server.config().holdWhenNoEndpoint().toMillis(), TimeUnit.MILLISECONDS);
        }
        server.router().awaitUpdate(ctx.channel().eventLoop(), () -> {
            if (phase != Phase.FINISHED && endpoint == null && ctx.channel().isActive()) attempt();
        }, () -> phase == Phase.FINISHED || !ctx.channel().isActive());
    }

    private void onConnected(Channel ch) {
        if (phase == Phase.FINISHED) {
            pool.release(endpoint.endpoint, ch, true);
            return;
        }
        upstream = ch;
        BackendHandler backend = ch.pipeline().get(BackendHandler.class);
        backend.exchange = this;
        backend.endpointId = endpoint.endpoint.id();
        ch.config().setAutoRead(true);
        if (outbound == null) outbound = outboundHead();
        ch.write(outbound, ch.voidPromise());
        phase = Phase.SENT;
        lastUpstreamNanos = System.nanoTime();
        boolean lastWritten = false;
        for (HttpContent c : buffered) {
            lastWritten |= c instanceof LastHttpContent;
            ch.write(c, ch.voidPromise());
        }
        buffered.clear();
        if (requestDone && !lastWritten) {
            // A request without a body replayed on another upstream: its end was sent to the first one.
            ch.write(LastHttpContent.EMPTY_LAST_CONTENT, ch.voidPromise());
        }
        ch.flush();
        if (!ch.isWritable()) ctx.channel().config().setAutoRead(false);
    }

    /** The request as the upstream sees it; built once, in place (the client's headers are not needed again). */
    private HttpRequest outboundHead() {
        HttpHeaders h = request.headers();
        String upgradeTo = h.get(HttpHeaderNames.UPGRADE);
        HopByHop.strip(h);
        if (upgrade) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE).set(HttpHeaderNames.UPGRADE, upgradeTo);
        }
        if (hasBody && !h.contains(HttpHeaderNames.CONTENT_LENGTH)) h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        // On the front door only a trusted proxy's forwarded headers are kept.
        ForwardedHeaders.apply(h, conn.clientAddress, conn.door == null || conn.door.trusts(conn.peerAddress), conn.tls, server.requestIdHeader());
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        return request;
    }

    void onRequestContent(HttpContent c) {
        boolean last = c instanceof LastHttpContent;
        if (last) requestDone = true;
        if (phase == Phase.FINISHED) {
            c.release();
            return;
        }
        requestBytes += c.content().readableBytes();
        long max = server.limits().maxRequestBodyBytes();
        if (max > 0 && requestBytes > max) {
            c.release();
            if (!responseStarted()) {
                tooLarge();
            } else {
                conn.closing = true;
                ctx.close();
            }
            return;
        }
        if (phase == Phase.BUFFERING) {
            buffered.add(c);
            // Whole, or as much as a buffer should hold in memory: then a replica is chosen and the rest streams on.
            if (last || requestBytes > MAX_BUFFERED_BODY) {
                phase = Phase.CONNECTING;
                attempt();
            }
            return;
        }
        if (upstream != null && headSent()) {
            upstream.write(c, upstream.voidPromise());
            upstreamUnflushed = true;
            if (!upstream.isWritable()) ctx.channel().config().setAutoRead(false);
        } else {
            buffered.add(c);
            if (!last && buffered.size() > 16) ctx.channel().config().setAutoRead(false); // wait for the upstream
        }
    }

    @Override
    public void onResponse(HttpResponse response) {
        if (phase == Phase.FINISHED) return;
        lastUpstreamNanos = System.nanoTime();
        status = response.status().code();
        if (maskable()) {
            masked = true;
            record(); // the canary is charged with its error
            endpoint.endpointStats.retry();
            endpoint.revisionStats.retry();
            upstreamReusable = false;
            detachUpstream();
            releaseEndpoint();
            want = new Router.Want(false, server.router().table().stable());
            status = 0;
            attempt();
            return;
        }
        if (upgrade && status == 101) {
            switchProtocols(response);
            return;
        }
        phase = Phase.RESPONDING;
        if (mirrored != null) mirrored.head(response);
        HttpHeaders h = response.headers();
        boolean upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        HopByHop.strip(h);
        upstreamReusable = upstreamKeepAlive;
        boolean noBody = head || status == 204 || status == 304 || status / 100 == 1;
        if (!noBody && !h.contains(HttpHeaderNames.CONTENT_LENGTH)) h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        if (!keepAlive) h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        else if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        if (setStickyRevision != null) {
            h.add(HttpHeaderNames.SET_COOKIE, server.router().table().stickyCookie() + "=" + setStickyRevision + "; Path=/; HttpOnly");
        }
        OwnResponses.hsts(h, hstsSeconds);
        if (conn.encoder != null) conn.encoder.head = head;
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        ctx.write(response, ctx.voidPromise()); // forwarded as is: its headers were edited in place
        clientUnflushed = true;
    }

    @Override
    public void onResponseContent(HttpContent content) {
        lastUpstreamNanos = System.nanoTime();
        if (phase != Phase.RESPONDING) {
            // Over, a 101 (the decoder ends the HTTP message; the bytes that follow are relayed), or a masked error's body.
            content.release();
            return;
        }
        boolean last = content instanceof LastHttpContent;
        responseBytes += content.content().readableBytes();
        if (mirrored != null) mirrored.body(content.content());
        ctx.write(content, ctx.voidPromise());
        clientUnflushed = true;
        if (last) {
            clientUnflushed = false;
            ctx.flush();
            complete();
        } else if (!ctx.channel().isWritable() && upstream != null) {
            upstream.config().setAutoRead(false);
            conn.armSendTimer();
        }
    }

    @Override
    public void onUpstreamReadComplete() {
        if (clientUnflushed) {
            clientUnflushed = false;
            ctx.flush();
        }
    }

    @Override
    public void onUpstreamWritable() {
        ctx.channel().config().setAutoRead(true);
    }

    @Override
    public void onRawBytes(ByteBuf bytes) {
        ctx.pipeline().firstContext().writeAndFlush(bytes);
    }

    /**
     * The upstream connection's reader-idle clock fired. It counts from the connection's last read,
     * which for a connection reused from the pool can be before this request was sent: then it
     * looks again when the request itself has waited the whole timeout.
     */
    @Override
    public void onUpstreamSilent() {
        Channel up = upstream;
        if (phase == Phase.FINISHED || phase == Phase.SWITCHING || up == null || !up.config().isAutoRead()) return; // a slow client is the send timeout's
        long timeout = server.config().timeouts().upstreamResponse().toNanos();
        long quiet = System.nanoTime() - lastUpstreamNanos;
        if (quiet < timeout) {
            ctx.executor().schedule(() -> {
                if (upstream == up) onUpstreamSilent();
            }, timeout - quiet, TimeUnit.NANOSECONDS);
            return;
        }
        String waited = server.config().timeouts().upstreamResponse().toMillis() + " ms";
        if (phase == Phase.RESPONDING) {
            // Stalled mid-response: nothing can be taken back; end the client connection.
            endpoint.endpointStats.socketError();
            endpoint.revisionStats.socketError();
            abort();
            conn.closing = true;
            ctx.close();
            return;
        }
        status = HttpResponseStatus.GATEWAY_TIMEOUT.code();
        record(); // the revision is charged: a frozen replica must count against its analysis
        fail(HttpResponseStatus.GATEWAY_TIMEOUT, "the upstream sent no response within " + waited);
    }

    @Override
    public void onUpstreamClosed(Throwable cause) {
        if (phase == Phase.FINISHED) return;
        Channel dead = upstream;
        upstream = null;
        if (responseStarted()) {
            // Part of the response was sent: nothing can be taken back; end the client connection.
            endpoint.endpointStats.socketError();
            endpoint.revisionStats.socketError();
            finishBookkeeping(false);
            conn.closing = true;
            ctx.close();
            return;
        }
        retryOrFail(cause, headSent());
    }

    /**
     * Retries on another endpoint what never reached an upstream (connect refused or reset, or a
     * pooled connection found dead), and an idempotent request without a body that got no response.
     */
    private void retryOrFail(Throwable cause, boolean wasSent) {
        boolean replayable = RetryPolicy.replayable(wasSent, hasBody, idempotent, reused);
        // What never left the proxy is always retried; what an upstream may have seen costs from the retry budget.
        if (replayable && ctx.channel().isActive() && (!wasSent || server.budget().tryRetry())) {
            markFailed(endpoint);
            endpoint.endpointStats.retry();
            endpoint.revisionStats.retry();
            releaseEndpoint();
            phase = Phase.CONNECTING;
            attempt();
            return;
        }
        endpoint.endpointStats.socketError();
        endpoint.revisionStats.socketError();
        // The client learns what failed, not where: upstream addresses stay inside.
        fail(HttpResponseStatus.BAD_GATEWAY, "the upstream " + (cause == null ? "closed the connection" : "connection failed")
                + " before a response" + (replayable ? "" : " and the request cannot be sent again safely"));
    }

    private void markFailed(EndpointState e) {
        if (failed.isEmpty()) failed = new ArrayList<>(2);
        failed.add(e.endpoint.id());
    }

    private boolean maskable() {
        if (!RetryPolicy.maskable(status, masked, idempotent, hasBody, server.masking())) return false;
        String stable = server.router().table().stable();
        return stable != null && !stable.equals(endpoint.endpoint.revision()) && server.router().hasReady(stable)
                && server.budget().tryRetry();
    }

    private void switchProtocols(HttpResponse response) {
        phase = Phase.SWITCHING;
        Channel up = upstream;
        up.config().setAutoRead(false);
        HttpHeaders h = response.headers();
        if (conn.encoder != null) conn.encoder.head = false;
        ctx.writeAndFlush(new DefaultHttpResponse(HttpVersion.HTTP_1_1, response.status(), h)).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                up.close();
                return;
            }
            phase = Phase.FINISHED;
            releaseEndpoint(); // a WebSocket is long-lived: it must not hold a drain open
            ProtocolSwitch.rewire(ctx.pipeline(), conn, up);
        });
    }

    private void complete() {
        boolean reusable = upstreamReusable && requestDone;
        finishBookkeeping(reusable);
        if (!keepAlive) {
            conn.closing = true;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.channel().config().setAutoRead(true);
        conn.next();
    }

    private void finishBookkeeping(boolean reusable) {
        phase = Phase.FINISHED;
        if (holdTimer != null) holdTimer.cancel(false);
        record();
        logAccess();
        Channel up = upstream;
        if (up != null) {
            pool.release(endpoint.endpoint, up, reusable);
            upstream = null;
        }
        releaseEndpoint();
    }

    /** One line of the front door's access log, once per exchange. */
    private void logAccess() {
        if (conn.door == null || !conn.door.logging() || status == 0 || logged) return;
        logged = true;
        if (endpoint != null) {
            loggedEndpoint = endpoint.endpoint.id();
            loggedRevision = endpoint.endpoint.revision();
        }
        String id = request.headers().get(server.requestIdHeader());
        conn.door.log(new AccessLog.Entry(Instant.now(), id, request.headers().get(HttpHeaderNames.HOST), request.method().name(),
                request.uri(), status, responseBytes, (System.nanoTime() - startNanos) / 1_000_000.0, loggedRevision, loggedEndpoint,
                attempts > 1 || masked, conn.clientAddress.toString(), conn.tls));
    }

    private void record() {
        if (endpoint == null || status == 0) return;
        long micros = (System.nanoTime() - startNanos) / 1000;
        endpoint.endpointStats.record(status, micros);
        endpoint.revisionStats.record(status, micros);
        // Paired only with an answer from another revision than the copy's (not a masked canary error).
        if (mirrored != null && !endpoint.endpoint.revision().equals(mirrored.route.revision())) mirrored.primary(status, micros);
    }

    private void detachUpstream() {
        Channel up = upstream;
        if (up != null) {
            up.pipeline().get(BackendHandler.class).exchange = null;
            up.close();
            upstream = null;
        }
        if (phase == Phase.SENT) phase = Phase.CONNECTING;
    }

    private void releaseEndpoint() {
        if (endpoint != null) {
            endpoint.endpointStats.inFlight.decrementAndGet();
            endpoint.release();
            endpoint = null;
        }
    }

    /** Answers the client with an error of the proxy's own, and ends the exchange. */
    private void fail(HttpResponseStatus error, String message) {
        fail(error, message, null);
    }

    private void fail(HttpResponseStatus error, String message, String retryAfter) {
        if (phase == Phase.FINISHED) return;
        status = error.code();
        logAccess();
        abort();
        boolean close = !keepAlive || !requestDone;
        conn.sendError(error, message, close, retryAfter);
        if (close) conn.closing = true;
        else conn.next();
    }

    /** Leaves a pause: its slot goes back (when the pause has not ended already) and its limit is off. */
    private void endPause() {
        if (pauseTimer != null) pauseTimer.cancel(false);
        pauseTimer = null;
        if (pauseHold != null) pauseHold.cancel();
        pauseHold = null;
    }

    /** The client went away: drop the upstream connection (it may be mid-response) and the count. */
    void abort() {
        if (phase == Phase.FINISHED) return;
        phase = Phase.FINISHED;
        endPause();
        if (holdTimer != null) holdTimer.cancel(false);
        detachUpstream();
        releaseEndpoint();
        buffered.forEach(HttpContent::release);
        buffered.clear();
    }
}
