package dev.rollgate.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/2 connections of one event loop to the replicas of services that speak h2c: one per
 * endpoint, opened on a request's need and shared by the requests of that loop, each a stream of
 * it. A connection the replica sends GOAWAY on takes no new stream; it closes once its last ends.
 */
final class Http2Upstreams {

    private final Map<String, Channel> connections = new HashMap<>();
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final ChannelHandler streamHandlers;

    /**
     * {@code bootstrap}: connects on {@code loop}; {@code streamHandlers}: the pipeline of each stream;
     * a connection without a stream for {@code idleMillis} closes.
     */
    Http2Upstreams(EventLoop loop, Bootstrap bootstrap, ChannelHandler streamHandlers, long idleMillis) {
        this.loop = loop;
        this.bootstrap = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS));
                ch.pipeline().addLast("codec", Http2FrameCodecBuilder.forClient().autoAckSettingsFrame(true).build());
                ch.pipeline().addLast("multiplex", new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                ch.pipeline().addLast("goaway", new GoAway());
            }
        });
        this.streamHandlers = streamHandlers;
    }

    /** Whether a connection to {@code endpointId} is open and takes streams (a request on it was on a "pooled" connection). */
    boolean connected(String endpointId) {
        Channel c = connections.get(endpointId);
        return c != null && c.isActive() && !GoAway.seen(c);
    }

    /** A new stream to {@code e}, on its connection (opened first when there is none that takes streams). */
    Future<Channel> stream(Endpoint e) {
        Promise<Channel> stream = loop.newPromise();
        Channel c = connections.get(e.id());
        if (c != null && c.isActive() && !GoAway.seen(c)) {
            open(c, stream);
            return stream;
        }
        bootstrap.connect(e.host(), e.port()).addListener(f -> {
            if (!f.isSuccess()) {
                stream.setFailure(f.cause());
                return;
            }
            Channel opened = ((io.netty.channel.ChannelFuture) f).channel();
            Channel before = connections.put(e.id(), opened);
            if (before != null && before != opened) GoAway.closeWhenIdle(before);
            opened.closeFuture().addListener(x -> connections.remove(e.id(), opened));
            open(opened, stream);
        });
        return stream;
    }

    private void open(Channel connection, Promise<Channel> stream) {
        new Http2StreamChannelBootstrap(connection).handler(streamHandlers).open().addListener(f -> {
            if (f.isSuccess()) {
                Http2StreamChannel s = (Http2StreamChannel) f.getNow();
                s.closeFuture().addListener(x -> GoAway.closeIfDone(connection));
                stream.setSuccess(s);
            } else {
                stream.setFailure(f.cause());
            }
        });
    }

    /** Closes every connection (the pool's loop is going away). */
    void closeAll() {
        connections.values().forEach(Channel::close);
        connections.clear();
    }

    /** Marks a connection the replica sent GOAWAY on, and closes it when its last stream ends. */
    private static final class GoAway extends ChannelInboundHandlerAdapter {
        private boolean seen;

        static boolean seen(Channel c) {
            GoAway g = c.pipeline().get(GoAway.class);
            return g == null || g.seen;
        }

        static void closeWhenIdle(Channel c) {
            GoAway g = c.pipeline().get(GoAway.class);
            if (g != null) g.seen = true;
            closeIfDone(c);
        }

        static void closeIfDone(Channel c) {
            if (seen(c) && c.pipeline().get(Http2FrameCodec.class) instanceof Http2FrameCodec codec
                    && codec.connection().numActiveStreams() == 0) {
                c.close();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent && ctx.pipeline().get(Http2FrameCodec.class) instanceof Http2FrameCodec codec
                    && codec.connection().numActiveStreams() == 0) {
                ctx.close();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2GoAwayFrame) {
                seen = true;
                closeIfDone(ctx.channel());
            }
            ReferenceCountUtil.release(msg);
        }
    }
}
