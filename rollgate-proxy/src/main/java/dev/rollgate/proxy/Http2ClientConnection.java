package dev.rollgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A client's HTTP/2 connection, its frames handled on the connection itself: each stream is an
 * {@link Http2ClientStream} that hands its request to an exchange and writes the answer through this
 * connection's encoder. No channel, pipeline or frame object per stream (Netty's multiplexer made
 * all three for each request).
 */
final class Http2ClientConnection extends Http2ConnectionHandler {

    private final Supplier<? extends Client.Listener> exchanges;
    private final Http2ConnectionClock clock;
    private final Http2Connection.PropertyKey streamKey;
    /** Streams that had frames in the read under way: they hear of its end ({@link Client.Listener#readComplete}). */
    private final List<Http2ClientStream> readNow = new ArrayList<>();
    private ChannelHandlerContext ctx;

    private Http2ClientConnection(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings,
                                  Supplier<? extends Client.Listener> exchanges, Http2ConnectionClock clock) {
        super(decoder, encoder, settings);
        this.exchanges = exchanges;
        this.clock = clock;
        this.streamKey = connection().newKey();
        decoder.frameListener(new Frames());
        connection().addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamClosed(Http2Stream stream) {
                Http2ClientStream s = stream.getProperty(streamKey);
                if (s == null) return; // refused before its head was read
                clock.streamClosed();
                s.closed();
            }
        });
        encoder.flowController().listener(stream -> {
            Http2ClientStream s = stream.getProperty(streamKey);
            if (s != null) s.writabilityChanged();
        });
    }

    /** A server's connection with {@code settings}; {@code exchanges} makes each stream's reader, {@code clock} hears of streams. */
    static Http2ClientConnection of(Http2Settings settings, Supplier<? extends Client.Listener> exchanges, Http2ConnectionClock clock) {
        return new Builder(exchanges, clock).server(true).initialSettings(settings)
                .gracefulShutdownTimeoutMillis(0) // a closing connection ends its streams at once, as the multiplexer's did
                .build();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        super.handlerAdded(ctx);
    }

    /** Opens the connection's receive window to {@code window} bytes (after the preface, which the handler sent when added). */
    void widen(int window) throws Http2Exception {
        var local = connection().local().flowController();
        local.incrementWindowSize(connection().connectionStream(), window - local.windowSize(connection().connectionStream()));
        flush(ctx);
    }

    ChannelHandlerContext context() {
        return ctx;
    }

    /** Gives the stream's window back by {@code bytes} it had held (its reader read on). */
    void consumed(Http2Stream stream, int bytes) {
        try {
            decoder().flowController().consumeBytes(stream, bytes);
        } catch (Http2Exception e) {
            onError(ctx, false, e);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        for (int i = 0; i < readNow.size(); i++) readNow.get(i).readComplete();
        readNow.clear();
        super.channelReadComplete(ctx); // flushes what the streams wrote and the windows they gave back
    }

    private Http2ClientStream streamOf(int streamId) {
        Http2Stream stream = connection().stream(streamId);
        return stream == null ? null : stream.getProperty(streamKey);
    }

    private void touched(Http2ClientStream s) {
        if (!s.inRead) {
            s.inRead = true;
            readNow.add(s);
        }
    }

    /** The frames a stream is made of; the rest (settings, pings, window updates, GOAWAY) are the connection handler's own work. */
    private final class Frames extends Http2FrameAdapter {

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding, boolean endOfStream) {
            Http2Stream stream = connection().stream(streamId);
            if (stream == null) return; // reset meanwhile
            Http2ClientStream s = stream.getProperty(streamKey);
            if (s == null) {
                s = new Http2ClientStream(Http2ClientConnection.this, stream);
                stream.setProperty(streamKey, s);
                clock.streamOpened();
                s.open(exchanges.get());
            }
            touched(s);
            s.headers(headers, endOfStream);
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency, short weight,
                                  boolean exclusive, int padding, boolean endOfStream) {
            onHeadersRead(ctx, streamId, headers, padding, endOfStream);
        }

        @Override
        public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
            Http2ClientStream s = streamOf(streamId);
            if (s == null) return data.readableBytes() + padding;
            touched(s);
            return s.data(data, padding, endOfStream);
        }
    }

    /** Netty's builder, for the codec's defaults (header validation, limits on resets and empty frames). */
    private static final class Builder extends AbstractHttp2ConnectionHandlerBuilder<Http2ClientConnection, Builder> {

        private final Supplier<? extends Client.Listener> exchanges;
        private final Http2ConnectionClock clock;

        Builder(Supplier<? extends Client.Listener> exchanges, Http2ConnectionClock clock) {
            this.exchanges = exchanges;
            this.clock = clock;
        }

        @Override
        protected Builder server(boolean isServer) {
            return super.server(isServer);
        }

        @Override
        protected Builder initialSettings(Http2Settings settings) {
            return super.initialSettings(settings);
        }

        @Override
        protected Builder gracefulShutdownTimeoutMillis(long millis) {
            return super.gracefulShutdownTimeoutMillis(millis);
        }

        @Override
        protected Http2ClientConnection build() {
            return super.build();
        }

        @Override
        protected Http2ClientConnection build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
            return new Http2ClientConnection(decoder, encoder, settings, exchanges, clock);
        }
    }
}
