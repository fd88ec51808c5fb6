package dev.rollgate.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/2 connections of one event loop to the replicas of services that speak h2c, opened on a
 * request's need and shared by the requests of that loop, each a stream of one. A connection takes
 * no more streams at once than its replica allows (SETTINGS_MAX_CONCURRENT_STREAMS; 100, the least
 * RFC 9113 recommends, until its SETTINGS arrive): beyond that, another connection to the same
 * replica is opened. A connection the replica sends GOAWAY on takes no new stream; it closes once
 * its last ends, as one idle for the idle timeout does. The streams above the GOAWAY's last stream id
 * were never processed: their requests go again ({@link BackendHandler}).
 */
final class Http2Upstreams {

    /** Streams a connection is assumed to take before its peer's SETTINGS say. */
    static final int STREAMS_BEFORE_SETTINGS = 100;

    private final Map<String, List<Channel>> connections = new HashMap<>();
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
                // Before the multiplexer: a GOAWAY marks the connection closed to new streams before the streams it refused
                // hear of it and go again (on another connection, not on this one).
                ch.pipeline().addLast("streams", new Streams());
                ch.pipeline().addLast("multiplex", new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
            }
        });
        this.streamHandlers = streamHandlers;
    }

    /** A new stream to {@code e}, on a connection to it that takes one more (opened first when none does). */
    Future<Channel> stream(Endpoint e) {
        Promise<Channel> stream = loop.newPromise();
        place(e, stream);
        return stream;
    }

    private void place(Endpoint e, Promise<Channel> stream) {
        List<Channel> open = connections.computeIfAbsent(e.id(), id -> new ArrayList<>(1));
        for (Channel c : open) {
            if (Streams.of(c).takesOne()) {
                whenSettled(c, e, stream);
                return;
            }
        }
        bootstrap.connect(e.host(), e.port()).addListener(f -> {
            if (!f.isSuccess()) {
                stream.setFailure(f.cause());
                return;
            }
            Channel opened = ((ChannelFuture) f).channel();
            open.add(opened);
            opened.closeFuture().addListener(x -> open.remove(opened));
            whenSettled(opened, e, stream);
        });
    }

    /**
     * Holds a place on {@code connection} until its peer's SETTINGS have come (streams opened before
     * could exceed what it takes, and be refused after their request was sent): then the stream
     * opens there, or, when the peer takes fewer than were waiting, on another connection.
     */
    private void whenSettled(Channel connection, Endpoint e, Promise<Channel> stream) {
        Streams streams = Streams.of(connection);
        streams.waiting++;
        streams.settled.addListener(f -> {
            streams.waiting--;
            if (!f.isSuccess()) {
                stream.setFailure(f.cause());
            } else if (streams.open >= streams.max || streams.goingAway || !connection.isActive()) {
                place(e, stream);
            } else {
                open(connection, streams, stream);
            }
        });
    }

    private void open(Channel connection, Streams streams, Promise<Channel> stream) {
        streams.open++;
        new Http2StreamChannelBootstrap(connection).handler(streamHandlers).open().addListener(f -> {
            if (f.isSuccess()) {
                Http2StreamChannel s = (Http2StreamChannel) f.getNow();
                s.closeFuture().addListener(x -> streams.closed(connection));
                stream.setSuccess(s);
            } else {
                streams.closed(connection);
                stream.setFailure(f.cause());
            }
        });
    }

    /** One connection's streams: how many are open or waiting for its SETTINGS, how many its peer takes, whether it sent GOAWAY. */
    private static final class Streams extends ChannelInboundHandlerAdapter {
        private int open;
        private int waiting;
        private long max = STREAMS_BEFORE_SETTINGS;
        private boolean goingAway;
        private Channel channel;
        private Promise<Void> settled;

        static Streams of(Channel c) {
            return c.pipeline().get(Streams.class);
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            settled = ctx.executor().newPromise();
        }

        boolean takesOne() {
            return channel.isActive() && !goingAway && open + waiting < max;
        }

        /** The codec has sent its preface: the connection's window opens as the front door's does, for many answers at once. */
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Http2Pipeline.widen(ctx, Http2Pipeline.CONNECTION_WINDOW);
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            settled.tryFailure(new java.nio.channels.ClosedChannelException());
            ctx.fireChannelInactive();
        }

        void closed(Channel c) {
            open--;
            if (goingAway && open == 0) c.close();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent && open == 0) ctx.close();
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2SettingsFrame settings) {
                Long peerMax = settings.settings().maxConcurrentStreams();
                if (peerMax != null || !settled.isDone()) max = peerMax == null ? Long.MAX_VALUE : peerMax;
                settled.trySuccess(null);
            } else if (msg instanceof Http2GoAwayFrame) {
                goingAway = true;
                if (open == 0) ctx.close();
            }
            ctx.fireChannelRead(msg);
        }
    }
}
