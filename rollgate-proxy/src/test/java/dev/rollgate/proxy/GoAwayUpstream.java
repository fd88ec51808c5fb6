package dev.rollgate.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An h2c gRPC replica that takes {@code streamsPerConnection} streams on a connection and refuses
 * the next with a GOAWAY naming the last one it took, as nginx does after its
 * {@code keepalive_requests}: the refused stream (and any sent after it) was on its way already, and
 * the replica never processes it. Each call it takes is answered with "v1 " and the message it got;
 * a call whose message did not come whole is answered with INTERNAL.
 */
final class GoAwayUpstream implements AutoCloseable {

    final AtomicInteger answered = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;

    GoAwayUpstream(int streamsPerConnection) throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class).childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                Http2FrameCodec codec = new NginxLikeCodec().build();
                ch.pipeline().addLast("codec", codec);
                ch.pipeline().addLast(new Calls(codec, streamsPerConnection));
            }
        }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close();
        group.shutdownGracefully();
    }

    /**
     * Netty's server codec, but for one rule: after its GOAWAY it drops what comes on the streams above
     * the last one, as RFC 9113 (6.8) allows and nginx does, where Netty's would end the whole
     * connection over the DATA of a stream whose HEADERS it refused.
     */
    private static final class NginxLikeCodec extends Http2FrameCodecBuilder {
        NginxLikeCodec() {
            connection(new DefaultHttp2Connection(true) {
                @Override
                public boolean streamMayHaveExisted(int streamId) {
                    return goAwaySent() || super.streamMayHaveExisted(streamId);
                }
            });
        }
    }

    private final class Calls extends ChannelInboundHandlerAdapter {
        private final Http2FrameCodec codec;
        private final int streamsPerConnection;
        private final Map<Integer, ByteBuf> bodies = new HashMap<>();
        private int taken;
        private int lastTaken;
        private boolean goneAway;

        Calls(Http2FrameCodec codec, int streamsPerConnection) {
            this.codec = codec;
            this.streamsPerConnection = streamsPerConnection;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2HeadersFrame h && bodies.get(h.stream().id()) == null) {
                    if (goneAway || taken == streamsPerConnection) {
                        refuse(ctx);
                        return;
                    }
                    taken++;
                    lastTaken = h.stream().id();
                    bodies.put(lastTaken, Unpooled.buffer());
                    if (h.isEndStream()) answer(ctx, h.stream());
                } else if (msg instanceof Http2DataFrame d && bodies.containsKey(d.stream().id())) {
                    bodies.get(d.stream().id()).writeBytes(d.content());
                    if (d.isEndStream()) answer(ctx, d.stream());
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        /** The GOAWAY names the last stream taken; the codec then drops what comes on the streams above it. */
        private void refuse(ChannelHandlerContext ctx) {
            refused.incrementAndGet();
            if (goneAway) return;
            goneAway = true;
            codec.goAway(ctx.pipeline().context(codec), lastTaken, Http2Error.NO_ERROR.code(), Unpooled.EMPTY_BUFFER, ctx.newPromise());
            ctx.flush();
        }

        private void answer(ChannelHandlerContext ctx, Http2FrameStream stream) {
            ByteBuf body = bodies.remove(stream.id());
            boolean whole = body.readableBytes() >= 5 && body.getInt(1) == body.readableBytes() - 5;
            String said = whole ? body.toString(5, body.readableBytes() - 5, StandardCharsets.UTF_8) : null;
            body.release();
            ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200").add("content-type", "application/grpc")).stream(stream));
            if (said != null) {
                byte[] text = ("v1 " + said).getBytes(StandardCharsets.UTF_8);
                ctx.write(new DefaultHttp2DataFrame(Unpooled.buffer(5 + text.length).writeByte(0).writeInt(text.length).writeBytes(text)).stream(stream));
            }
            ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().add("grpc-status", said != null ? "0" : "13"), true)
                    .stream(stream));
            answered.incrementAndGet();
        }
    }
}
