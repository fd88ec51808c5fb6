package dev.rollgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.channel.ChannelFutureListener;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Clocks before each request head: a new connection that sends no request within the first-request
 * timeout is closed (idle sockets cannot hold the connection limit), as is a keep-alive connection
 * waiting longer than the idle timeout for its next one; once a head's first byte arrives, the
 * whole head must follow within the header timeout, or the client gets 408 and the connection is
 * closed (slowloris).
 */
final class RequestHeadTimeout extends ChannelInboundHandlerAdapter {

    private final long headerTimeoutNanos;
    private final long idleTimeoutNanos;
    private final long firstRequestNanos;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private long timerAt;
    private long deadline = Long.MAX_VALUE;
    private boolean waiting;
    private boolean bytesSeen;

    RequestHeadTimeout(Duration headerTimeout, Duration idleTimeout, Duration firstRequest) {
        this.headerTimeoutNanos = headerTimeout.toNanos();
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.firstRequestNanos = firstRequest.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        // Over TLS this handler joins after the handshake, on a connection active long since: its clock starts now.
        if (ctx.channel().isActive()) startFirstRequestClock();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        startFirstRequestClock();
        ctx.fireChannelActive();
    }

    /** A new connection gets the short clock for its first request, so idle sockets cannot fill the connection limit. */
    private void startFirstRequestClock() {
        waiting = true;
        bytesSeen = false;
        setDeadline(System.nanoTime() + Math.min(firstRequestNanos, idleTimeoutNanos));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (waiting && !bytesSeen && msg instanceof ByteBuf b && b.isReadable()) {
            bytesSeen = true;
            setDeadline(System.nanoTime() + headerTimeoutNanos);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    /** Taken out of the pipeline (the connection turned out HTTP/2, or switched protocols): its clock stops. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void stop() {
        waiting = false;
        if (timer != null) timer.cancel(false);
        timer = null;
    }

    /** A whole request head has arrived. */
    void headReceived() {
        waiting = false;
        deadline = Long.MAX_VALUE; // the pending timer, if any, finds nothing to do and is not re-armed
    }

    /** The connection now waits for its next request. */
    void awaitNext() {
        waiting = true;
        bytesSeen = false;
        setDeadline(System.nanoTime() + idleTimeoutNanos);
    }

    /**
     * Moves the deadline without touching the scheduler on every request: one timer per connection
     * is pending at most, and when it fires early it re-arms itself for what is left.
     */
    private void setDeadline(long at) {
        deadline = at;
        if (timer != null && timerAt <= at) return; // the pending timer fires first and re-arms for the rest
        if (timer != null) timer.cancel(false);
        arm(at - System.nanoTime());
    }

    private void arm(long delayNanos) {
        timerAt = System.nanoTime() + Math.max(delayNanos, 0);
        timer = ctx.executor().schedule(this::fire, Math.max(delayNanos, 0), TimeUnit.NANOSECONDS);
    }

    private void fire() {
        timer = null;
        if (!waiting || !ctx.channel().isActive()) return;
        long left = deadline - System.nanoTime();
        if (left > 0) {
            arm(left);
            return;
        }
        expire();
    }

    private void expire() {
        if (!bytesSeen) {
            ctx.close(); // idle keep-alive connection
            return;
        }
        var r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT);
        r.headers().set(HttpHeaderNames.CONNECTION, "close").setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        ctx.channel().writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }
}
