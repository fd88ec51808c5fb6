package dev.rollgate.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * One request on a client connection ({@link FrontendHandler}), from its head to the last byte of its
 * response, as an {@link ExchangePhase} state machine: the traffic gate, then tries on replicas
 * ({@link Attempts}) with the body ({@link RequestBody}), then the response ({@link ResponseStream})
 * or the proxy's own error, and what the exchange leaves behind ({@link ExchangeLog}).
 */
final class Exchange {

    private final FrontendHandler conn;
    private final Client client;
    // The service this request goes to: on the front door, the choice made for it (the connection's next request may choose another).
    private final ProxyServer server;
    private final long hstsSeconds;

    final HttpRequest request;
    final RequestBody body;
    private final RequestTraits traits;
    private final long startNanos = System.nanoTime();
    private final Attempts tries;
    ExchangePhase phase = ExchangePhase.CONNECTING;
    boolean logged; // its access-log line is written
    private boolean headRewritten;
    private int status;
    private PauseQueue.Ticket paused;
    private Mirror.Pair mirrored; // a copy of this request went to the mirror route's revision
    private ResponseStream response;
    private boolean upstreamReusable = true;

    /** The exchange of {@code request} on {@code conn}, whose service is known (the front door has chosen it). */
    Exchange(FrontendHandler conn, HttpRequest request) {
        this.conn = conn;
        this.client = conn.client;
        this.server = conn.server;
        this.hstsSeconds = conn.hstsSeconds;
        this.request = request;
        this.body = new RequestBody(server.limits().maxRequestBodyBytes());
        this.traits = RequestTraits.of(request);
        this.tries = new Attempts(this, client, server, conn.pool, traits.upgrade());
        RequestBody.continueIfExpected(client, request);
    }

    void begin() {
        switch (TrafficGate.at(server.pressured(), server.traffic())) {
            case TrafficGate.Refuse refused -> {
                fail(HttpResponseStatus.SERVICE_UNAVAILABLE, refused.message(), refused.retryAfter());
                return;
            }
            case TrafficGate.Hold hold -> {
                paused = server.hold(client.eventLoop(), hold.maxSeconds(), () -> {
                    paused = null;
                    if (phase != ExchangePhase.FINISHED && client.isActive()) begin();
                }, () -> {
                    paused = null;
                    fail(HttpResponseStatus.SERVICE_UNAVAILABLE, TrafficGate.outstayed(hold.maxSeconds()), "1");
                });
                if (paused == null) fail(HttpResponseStatus.SERVICE_UNAVAILABLE, TrafficGate.PAUSE_FULL, "1");
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
        tries.aim(server.router().choose(request.headers(), conn.preview));
        // An h2c upgrade offer (the JDK client's default) is answered over HTTP/1.1 and mirrored as a plain request.
        if (mirrored == null && !traits.hasBody() && !conn.preview) mirrored = server.mirror().offer(request);
        if (traits.hasBody() && !body.done() && server.limits().bufferRequests()) {
            phase = ExchangePhase.BUFFERING;
            return;
        }
        tries.next();
    }

    private void tooLarge() {
        conn.closing = true;
        fail(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "the request body is larger than " + server.limits().maxRequestBodyBytes() + " bytes", null);
    }

    /** The try's connection is there: the head and what of the body is in hand go out. */
    void onConnected() {
        if (!headRewritten) {
            headRewritten = true;
            // On the front door only a trusted proxy's forwarded headers are kept.
            boolean trusted = conn.door == null || conn.door.trusts(conn.peerAddress);
            HeadRewrite.toUpstream(request, traits.upgrade(), traits.hasBody(), server.limits().upstreamProtocol() == UpstreamProtocol.H2C,
                    new HeadRewrite.ToUpstream(conn.clientAddress, trusted, conn.tls, server.requestIdHeader()));
        }
        phase = ExchangePhase.SENT;
        tries.current.send(request, body.drain(), body.done());
    }

    void onRequestContent(HttpContent c) {
        if (phase == ExchangePhase.FINISHED) {
            if (c instanceof LastHttpContent) body.ended();
            c.release();
            return;
        }
        UpstreamAttempt to = tries.current != null && tries.current.channel != null && phase.headSent() ? tries.current : null;
        switch (body.take(c, phase == ExchangePhase.BUFFERING, to == null ? null : to::write)) {
            case TOO_LARGE -> {
                if (!phase.responseStarted()) {
                    tooLarge();
                } else {
                    conn.closing = true;
                    client.close();
                }
            }
            case BUFFERED -> {
                phase = ExchangePhase.CONNECTING;
                tries.next();
            }
            case HELD_FULL -> client.reading(false); // wait for the upstream
            case HELD, SENT -> {
                // in hand, or on its way
            }
        }
    }

    /** The body read so far goes to the replica (the client's read ended). */
    void flushUpstream() {
        if (tries.current != null) tries.current.flush();
    }

    /** The client can take more: the replica's connection reads on. */
    void clientWritable() {
        if (tries.current != null) tries.current.reading(true);
    }

    void onResponse(HttpResponse r) {
        if (phase == ExchangePhase.FINISHED) return;
        status = r.status().code();
        if (tries.maskError(status, traits, micros(), mirrored)) {
            phase = ExchangePhase.CONNECTING;
            status = 0;
            tries.next();
            return;
        }
        if (traits.upgrade() && status == 101 && client.http1() != null) {
            phase = ExchangePhase.SWITCHING;
            ProtocolSwitch.answer(client.http1(), r, tries.current.channel, () -> {
                phase = ExchangePhase.FINISHED;
                Channel relay = tries.current.handOver();
                tries.current = null;
                return relay;
            });
            return;
        }
        phase = ExchangePhase.RESPONDING;
        response = new ResponseStream(client, conn.encoder, mirrored, server.limits().upstreamProtocol() == UpstreamProtocol.H2C);
        String sticky = tries.stickyRevision == null ? null : server.router().table().stickyCookie() + "=" + tries.stickyRevision;
        upstreamReusable = response.head(r, new HeadRewrite.ToClient(traits.headMethod(), traits.keepAlive(), traits.http10(), sticky, hstsSeconds),
                server.limits().compression(), request.headers().get(HttpHeaderNames.ACCEPT_ENCODING));
    }

    void onResponseContent(HttpContent content) {
        if (phase != ExchangePhase.RESPONDING) {
            // Over, a 101 (the decoder ends the HTTP message; the bytes that follow are relayed), or a masked error's body.
            content.release();
            return;
        }
        if (response.content(content)) {
            complete();
        } else if (!client.isWritable() && tries.current != null) {
            tries.current.reading(false);
            conn.armSendTimer();
        }
    }

    /** The replica's read ended: what it sent goes on to the client. */
    void flushClient() {
        if (response != null) response.flush();
    }

    /** The replica sent nothing for the upstream timeout ({@code waited}). */
    void onUpstreamSilent(String waited) {
        if (phase == ExchangePhase.RESPONDING) {
            // Stalled mid-response: nothing can be taken back; end the client connection.
            tries.current.chargeSocketError();
            abort();
            conn.closing = true;
            client.close();
            return;
        }
        status = HttpResponseStatus.GATEWAY_TIMEOUT.code();
        tries.current.answered(status, micros(), mirrored); // a frozen replica must count against its analysis
        fail(HttpResponseStatus.GATEWAY_TIMEOUT, "the upstream sent no response within " + waited, null);
    }

    void onUpstreamClosed(Throwable cause) {
        if (phase == ExchangePhase.FINISHED) return;
        if (phase.responseStarted()) {
            // Part of the response was sent: nothing can be taken back; end the client connection.
            tries.current.chargeSocketError();
            finish(false);
            conn.closing = true;
            client.close();
            return;
        }
        retryOrFail(cause, phase.headSent());
    }

    void onConnectFailed(Throwable cause) {
        retryOrFail(cause, false);
    }

    /** The replica left the stream unprocessed (GOAWAY, REFUSED_STREAM): the request goes again, with what of its body went ({@code sent}). */
    void onRefused(List<HttpContent> sent) {
        if (sent != null && phase.headSent() && !phase.responseStarted()) {
            phase = ExchangePhase.CONNECTING;
            tries.refused(body, sent);
            return;
        }
        if (sent != null) sent.forEach(HttpContent::release);
        onUpstreamClosed(null); // too much of the body went out to keep: as a connection closed under it
    }

    /** A try failed before its answer: the next one, or a 502 ({@link Attempts#retry}). */
    private void retryOrFail(Throwable cause, boolean wasSent) {
        phase = ExchangePhase.CONNECTING;
        String failure = tries.retry(cause, wasSent, traits);
        if (failure != null) fail(HttpResponseStatus.BAD_GATEWAY, failure, null);
    }

    private void complete() {
        finish(upstreamReusable && body.done());
        if (!traits.keepAlive()) {
            conn.closing = true;
            client.closeAfter(client.writeAndFlush(Unpooled.EMPTY_BUFFER));
            return;
        }
        client.reading(true);
        conn.next();
    }

    private void finish(boolean keepConnection) {
        phase = ExchangePhase.FINISHED;
        if (tries.current != null) tries.current.answered(response == null ? status : response.counted(status), micros(), mirrored);
        logAccess();
        tries.end(keepConnection);
        if (response != null) response.abandon(); // a compressor left by a response cut short
    }

    private long micros() {
        return (System.nanoTime() - startNanos) / 1000;
    }

    /** One line of the front door's access log, once per exchange. */
    private void logAccess() {
        if (conn.door == null || !conn.door.logging() || status == 0 || logged) return;
        logged = true;
        conn.door.log(ExchangeLog.entry(request, server.requestIdHeader(), status, response == null ? 0 : response.bytes(),
                System.nanoTime() - startNanos, tries.current == null ? null : tries.current.endpoint.endpoint, tries.retried(),
                conn.clientAddress.toString(), conn.tls));
    }

    /** Answers the client with an error of the proxy's own ({@code retryAfter}: a 503's, or null), and ends the exchange. */
    void fail(HttpResponseStatus error, String message, String retryAfter) {
        if (phase == ExchangePhase.FINISHED) return;
        status = error.code();
        logAccess();
        abort();
        boolean close = !traits.keepAlive() || !body.done();
        conn.sendError(error, message, close, retryAfter);
        if (close) conn.closing = true;
        else conn.next();
    }

    /** The client went away: drop the upstream connection (it may be mid-response) and the count. */
    void abort() {
        if (phase == ExchangePhase.FINISHED) return;
        phase = ExchangePhase.FINISHED;
        if (paused != null) paused.leave();
        paused = null;
        tries.end(false);
        body.release();
        if (response != null) response.abandon();
    }
}
