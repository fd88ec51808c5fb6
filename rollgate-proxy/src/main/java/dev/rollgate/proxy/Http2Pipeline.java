package dev.rollgate.proxy;

import io.netty.channel.ChannelOutboundInvoker;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.util.function.Supplier;

/**
 * The handlers of an HTTP/2 connection on the front door, once ALPN (or h2c's preface) chose h2: the
 * connection's handler, which reads each stream's frames into an exchange ({@link Http2ClientConnection}),
 * and the connection's clock.
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

    /**
     * What the connection may hold for a client before its streams wait on it: the answers of many
     * streams go out in one flush, and with HTTP/1.1's 64 KB every burst made all of them unwritable
     * and writable again (a timer armed and cancelled per stream, their replicas' reads stopped).
     */
    static final WriteBufferWaterMark CONNECTION_BUFFER = new WriteBufferWaterMark(256 * 1024, 512 * 1024);

    private Http2Pipeline() {}

    /** Adds the connection's handlers; {@code exchange} makes each stream's reader (a {@link FrontendHandler}). */
    static void addTo(ChannelPipeline p, ProxyConfig config, Supplier<? extends Client.Listener> exchange) {
        Http2ConnectionClock clock = new Http2ConnectionClock(config.timeouts().firstRequest(), config.idleTimeout());
        // The answers of many streams often complete in one turn of the event loop (their replicas' reads): one flush,
        // one write to the socket (and one TLS record) for all of them rather than one each.
        p.channel().config().setWriteBufferWaterMark(CONNECTION_BUFFER);
        p.addLast("flushes", new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
        Http2ClientConnection connection = Http2ClientConnection.of(Http2Settings.defaultSettings().maxConcurrentStreams(MAX_STREAMS), exchange, clock);
        p.addLast("http2", connection);
        p.addLast("clock", clock);
        try {
            connection.widen(CONNECTION_WINDOW);
        } catch (Http2Exception e) {
            throw new IllegalStateException(e); // a window within the RFC's bounds, on a new connection
        }
    }

    /** Opens the connection's receive window (its frame codec before {@code out}, the connection active) to {@code window} bytes. */
    static void widen(ChannelOutboundInvoker out, int window) {
        out.writeAndFlush(new DefaultHttp2WindowUpdateFrame(window - Http2CodecUtil.DEFAULT_WINDOW_SIZE));
    }
}
