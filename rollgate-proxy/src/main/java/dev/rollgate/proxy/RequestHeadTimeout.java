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
 * Two clocks before each request head: an idle connection waiting for its next request is closed
 * after the idle timeout; once its first byte arrives, the whole head must follow within the
 * header timeout, or the client gets 408 and the connection is closed (slowloris).
 */
final class RequestHeadTimeout extends ChannelInboundHandlerAdapter {

    private final long headerTimeoutNanos;
    private final long idleTimeoutNanos;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private long timerAt;
    private long deadline = Long.MAX_VALUE;
    private boolean waiting;
    private boolean bytesSeen;

    RequestHeadTimeout(Duration headerTimeout, Duration idleTimeout) {
        this.headerTimeoutNanos = headerTimeout.toNanos();
        this.idleTimeoutNanos = idleTimeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        awaitNext();
        ctx.fireChannelActive();
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
        if (timer != null) timer.cancel(false);
        timer = null;
        ctx.fireChannelInactive();
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
