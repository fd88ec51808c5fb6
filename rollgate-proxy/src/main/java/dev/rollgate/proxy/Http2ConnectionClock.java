package dev.rollgate.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/2 connection's clocks, as {@link RequestHeadTimeout} keeps them for HTTP/1.1: a
 * connection with no stream open is closed (with GOAWAY) after the first-request timeout when it
 * has never had one, and after the idle timeout between streams. A stream opens when its whole
 * header block has arrived, so a preface alone, or half a header block, counts as nothing.
 */
final class Http2ConnectionClock extends ChannelInboundHandlerAdapter {

    private final Duration firstRequest;
    private final Duration idle;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private int open;

    Http2ConnectionClock(Duration firstRequest, Duration idle) {
        this.firstRequest = firstRequest;
        this.idle = idle;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        arm(firstRequest.compareTo(idle) < 0 ? firstRequest : idle);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        disarm();
        ctx.fireChannelInactive();
    }

    /** The connection's last handler: what HTTP/2 did not handle as a stream or connection error (a reset socket, say) ends it. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    /** A stream's headers arrived (on the connection's event loop, as streams share it). */
    void streamOpened() {
        open++;
        disarm();
    }

    void streamClosed() {
        if (--open == 0 && ctx.channel().isActive()) arm(idle);
    }

    private void arm(Duration after) {
        disarm();
        timer = ctx.executor().schedule(() -> {
            timer = null;
            if (open == 0) ctx.channel().close();
        }, after.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void disarm() {
        if (timer != null) timer.cancel(false);
        timer = null;
    }
}
