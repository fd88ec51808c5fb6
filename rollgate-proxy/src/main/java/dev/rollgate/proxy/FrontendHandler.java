package dev.rollgate.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client connection (HTTP/1.1) or stream (HTTP/2), as its {@link Client}: reads requests one
 * at a time (pipelined ones wait their turn), refuses a broken head, lets the front door choose
 * each request's service, and hands each to an {@link Exchange}; the send timeout of a client that
 * reads nothing, and the connection's end.
 */
final class FrontendHandler implements Client.Listener {

    private static final int MAX_PENDING = 64;

    // What an Exchange reads of its connection when it begins (the service and its pool are the front door's choice per request).
    ProxyServer server;
    UpstreamPool pool;
    long hstsSeconds;
    final boolean preview;
    final FrontDoor door;
    final boolean tls;
    Client client;
    HeadAwareResponseEncoder encoder;
    AsciiString clientAddress;
    InetAddress peerAddress;
    /** No more requests are read: the connection closes once the current answer is out. */
    boolean closing;

    private RequestHeadTimeout headTimeout;
    private Exchange current;
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    private ScheduledFuture<?> sendTimer;

    FrontendHandler(ProxyServer server, boolean preview) {
        this.server = server;
        this.preview = preview;
        this.door = null;
        this.tls = false;
    }

    /** A connection on the front door: each request goes to the service its host and path name. */
    FrontendHandler(FrontDoor door, boolean tls) {
        this.door = door;
        this.tls = tls;
        this.preview = false;
    }

    @Override
    public void attached(Client client) {
        this.client = client;
        if (server != null) this.pool = server.pool(client.eventLoop());
        ChannelHandlerContext http1 = client.http1();
        this.headTimeout = http1 == null ? null : http1.pipeline().get(RequestHeadTimeout.class);
        this.encoder = http1 == null ? null : http1.pipeline().get(HeadAwareResponseEncoder.class);
        InetSocketAddress remote = client.remoteAddress();
        this.peerAddress = remote == null ? null : remote.getAddress();
        this.clientAddress = new AsciiString(remote == null ? "unknown" : remote.getAddress().getHostAddress());
    }

    @Override
    public void read(Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (current != null && current.body.done() || !pending.isEmpty()) {
            if (pending.size() >= MAX_PENDING) {
                ReferenceCountUtil.release(msg);
                client.close();
                return;
            }
            pending.add(msg); // a pipelined request: served after the current one
            return;
        }
        dispatch(msg);
    }

    private void dispatch(Object msg) {
        if (msg instanceof HttpRequest request) {
            if (request.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                rejectBadRequest(request, request.decoderResult().cause());
                return;
            }
            RequestHeadRules.Violation broken = RequestHeadRules.check(request);
            if (broken != null) {
                ReferenceCountUtil.release(msg);
                closing = true;
                logRefused(request, broken.status());
                sendError(broken.status(), broken.status().reasonPhrase() + ": " + broken.reason(), true);
                return;
            }
            if (headTimeout != null) headTimeout.headReceived();
            if (door != null && !resolve(request)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            current = new Exchange(this, request);
            current.begin();
            if (msg instanceof HttpContent c && current != null) current.onRequestContent(c);
        } else if (msg instanceof HttpContent c) {
            if (c.decoderResult().isFailure()) {
                Throwable cause = c.decoderResult().cause();
                c.release();
                rejectBadBody(cause);
            } else if (current != null && !current.body.done()) {
                current.onRequestContent(c);
            } else {
                c.release();
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    /** The front door's choice for one request ({@link FrontDoorChoice}), carried out; false when the request was answered here. */
    private boolean resolve(HttpRequest request) {
        String host = request.headers().get(HttpHeaderNames.HOST);
        FrontDoorChoice choice = FrontDoorChoice.of(request.uri(), host, tls ? client.sni() : null, tls, door);
        if (!choice.target().equals(request.uri())) request.setUri(choice.target());
        switch (choice) {
            case FrontDoorChoice.Answer a -> {
                if (a.logged()) door.logRejected(request, a.status().code(), clientAddress.toString(), tls);
                if (a.location() == null) {
                    sendPlain(a.status(), a.text(), request);
                } else {
                    var r = OwnResponses.of(a.status(), null, null);
                    r.headers().set(HttpHeaderNames.LOCATION, a.location());
                    send(r, !HttpUtil.isKeepAlive(request));
                }
                return false;
            }
            case FrontDoorChoice.Pass pass -> {
                ProxyServer target = door.server(pass.service());
                if (target == null) { // its proxy went away since the choice was made: the service was just deleted
                    door.logRejected(request, 404, clientAddress.toString(), tls);
                    sendPlain(HttpResponseStatus.NOT_FOUND, "not found", request);
                    return false;
                }
                server = target;
                pool = server.pool(client.eventLoop());
                hstsSeconds = pass.hstsSeconds();
                return true;
            }
        }
    }

    /** A request refused before it was routed (a broken or oversized head) is in the front door's access log too, as nginx logs its 400s. */
    private void logRefused(HttpRequest request, HttpResponseStatus status) {
        if (door != null && request != null) door.logRejected(request, status.code(), clientAddress.toString(), tls);
    }

    /** The front door's own plain answer to a request it does not pass on (a body that follows is read and dropped). */
    private void sendPlain(HttpResponseStatus status, String text, HttpRequest request) {
        boolean close = !HttpUtil.isKeepAlive(request);
        if (close) closing = true;
        send(OwnResponses.plain(status, text), close);
    }

    /** Writes a response of the proxy's own; the connection closes after it when {@code close}. */
    private void send(DefaultFullHttpResponse r, boolean close) {
        if (close) r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (encoder != null) encoder.head = false;
        var f = client.writeAndFlush(r);
        if (close) client.closeAfter(f);
    }

    @Override
    public void readComplete() {
        if (current != null) current.flushUpstream();
    }

    @Override
    public void writabilityChanged() {
        if (client.isWritable()) {
            if (sendTimer != null) {
                sendTimer.cancel(false);
                sendTimer = null;
                server.stalled(client, false); // a timer is armed only once the service is known
            }
            if (current != null) current.clientWritable();
        } else {
            armSendTimer();
        }
    }

    /**
     * The client reads nothing of what was sent: it may hold the connection (and an upstream) only
     * the send timeout. Armed on the change to unwritable, and on a write that finds the channel so:
     * an HTTP/2 stream whose peer grants no window is never writable, so it never changes.
     * Closing an HTTP/2 stream resets it (RST_STREAM) and lets go of what its flow control held.
     */
    void armSendTimer() {
        if (sendTimer != null || server == null) return; // a front-door connection before its first request has no service yet
        server.stalled(client, true); // cut at once when memory runs short
        sendTimer = client.eventLoop().schedule(() -> {
            sendTimer = null;
            server.stalled(client, false);
            if (client.isActive() && !client.isWritable()) {
                closing = true;
                if (current != null) current.abort();
                client.close();
            }
        }, server.config().timeouts().send().toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void inactive() {
        closing = true;
        if (sendTimer != null) {
            sendTimer.cancel(false);
            server.stalled(client, false);
        }
        if (current != null) current.abort();
        pending.forEach(ReferenceCountUtil::release);
        pending.clear();
    }

    private void rejectBadRequest(HttpRequest request, Throwable cause) {
        HttpResponseStatus status = cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                : cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                : cause instanceof TooLongFrameException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                : HttpResponseStatus.BAD_REQUEST;
        closing = true;
        logRefused(request, status);
        sendError(status, cause == null ? status.reasonPhrase() : status.reasonPhrase() + ": " + cause.getMessage(), true);
    }

    /**
     * A body that breaks its framing (a chunk size that is not hex or overflows, chunk data without
     * its CRLF): the upstream connection is dropped before the body's end could reach it, and the
     * client gets 400 (or, when a response had begun, its connection closed).
     */
    private void rejectBadBody(Throwable cause) {
        Exchange ex = current;
        if (ex != null && ex.phase != ExchangePhase.FINISHED) {
            boolean started = ex.phase.responseStarted();
            ex.abort();
            if (started) {
                closing = true;
                client.close();
                return;
            }
        }
        rejectBadRequest(ex != null && !ex.logged ? ex.request : null, cause); // logged once, whichever way it ended
    }

    void sendError(HttpResponseStatus status, String message, boolean close) {
        sendError(status, message, close, null);
    }

    /** An error of the proxy's own ({@link OwnResponses#error}): the service's page for that status when it has one, else the words. */
    void sendError(HttpResponseStatus status, String message, boolean close, String retryAfter) {
        send(OwnResponses.error(status, message, server == null ? Map.of() : server.limits().errorPages(), retryAfter, hstsSeconds), close);
    }

    /** The next pipelined request, or back to waiting for one. */
    void next() {
        current = null;
        if (closing) return;
        if (headTimeout != null) headTimeout.awaitNext();
        while (current == null && !pending.isEmpty()) dispatch(pending.poll());
        while (current != null && !current.body.done() && !pending.isEmpty()) dispatch(pending.poll());
    }
}
