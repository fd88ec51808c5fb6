package dev.rollgate.proxy;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.util.function.Supplier;

/**
 * The handlers of an HTTP/2 connection on the front door, once ALPN chose h2: the frame codec, the
 * connection's clock, and per stream a child channel whose requests reach an exchange as HTTP/1.1's
 * decoder gives them (a head, then the body; {@link Http2StreamCodec}).
 */
final class Http2Pipeline {

    /** Streams one HTTP/2 connection may have open at once (nginx's http2_max_concurrent_streams). */
    static final int MAX_STREAMS = 128;
    /**
     * The connection's receive window: room for every stream's own (64 KB, the RFC's default, each),
     * so that a few uploads do not stall the other streams of the connection. nginx opens its
     * connection window wide too; a stream's window still bounds what one request may have in flight.
     */
    static final int CONNECTION_WINDOW = MAX_STREAMS * Http2CodecUtil.DEFAULT_WINDOW_SIZE;
    /** What one stream may hold for a client that does not read: 32 KB, then its upstream waits. */
    private static final WriteBufferWaterMark STREAM_BUFFER = new WriteBufferWaterMark(16 * 1024, 32 * 1024);

    private Http2Pipeline() {}

    /** Adds the connection's handlers; {@code exchange} makes each stream's {@link FrontendHandler}. */
    static void addTo(ChannelPipeline p, ProxyConfig config, Supplier<ChannelHandler> exchange) {
        Http2ConnectionClock clock = new Http2ConnectionClock(config.timeouts().firstRequest(), config.idleTimeout());
        // The answers of many streams often complete in one turn of the event loop (their replicas' reads): one flush,
        // one write to the socket (and one TLS record) for all of them rather than one each.
        p.addLast("flushes", new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
        p.addLast(Http2FrameCodecBuilder.forServer().initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(MAX_STREAMS)).build());
        p.addLast("clock", clock);
        widen(p, CONNECTION_WINDOW);
        p.addLast(new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                clock.streamOpened();
                stream.config().setWriteBufferWaterMark(STREAM_BUFFER);
                stream.closeFuture().addListener(f -> clock.streamClosed());
                // Named: a generated name costs a lookup per handler and stream.
                stream.pipeline().addLast("codec", new Http2StreamCodec());
                stream.pipeline().addLast("frontend", exchange.get());
            }
        }));
    }

    /** Opens the connection's receive window (its codec before {@code out}, the connection active) to {@code window} bytes. */
    static void widen(ChannelOutboundInvoker out, int window) {
        out.writeAndFlush(new DefaultHttp2WindowUpdateFrame(window - Http2CodecUtil.DEFAULT_WINDOW_SIZE));
    }
}
