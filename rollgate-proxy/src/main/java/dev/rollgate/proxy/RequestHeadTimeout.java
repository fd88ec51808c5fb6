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

    private final Duration headerTimeout;
    private final Duration idleTimeout;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private boolean waiting;
    private boolean bytesSeen;

    RequestHeadTimeout(Duration headerTimeout, Duration idleTimeout) {
        this.headerTimeout = headerTimeout;
        this.idleTimeout = idleTimeout;
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
            schedule(headerTimeout);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    /** A whole request head has arrived. */
    void headReceived() {
        waiting = false;
        cancel();
    }

    /** The connection now waits for its next request. */
    void awaitNext() {
        waiting = true;
        bytesSeen = false;
        schedule(idleTimeout);
    }

    private void schedule(Duration d) {
        cancel();
        timer = ctx.executor().schedule(this::expire, d.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancel() {
        if (timer != null) timer.cancel(false);
        timer = null;
    }

    private void expire() {
        if (!waiting || !ctx.channel().isActive()) return;
        if (!bytesSeen) {
            ctx.close(); // idle keep-alive connection
            return;
        }
        var r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT);
        r.headers().set(HttpHeaderNames.CONNECTION, "close").setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        ctx.channel().writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }
}
