package dev.rollgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.List;

/**
 * The first bytes of a clear-text connection to a service's port tell its protocol: the HTTP/2
 * connection preface (a gRPC client, or any h2c client with prior knowledge) gets the HTTP/2
 * handlers, anything else HTTP/1.1's. It then leaves the pipeline, passing on what it read.
 */
final class PriorKnowledge extends ByteToMessageDecoder {

    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final Runnable http1;
    private final Runnable http2;

    /** {@code http1} and {@code http2} add their handlers after this one. */
    PriorKnowledge(Runnable http1, Runnable http2) {
        this.http1 = http1;
        this.http2 = http2;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int n = Math.min(in.readableBytes(), PREFACE.readableBytes());
        if (!ByteBufUtil.equals(in, in.readerIndex(), PREFACE, PREFACE.readerIndex(), n)) {
            http1.run();
        } else if (n == PREFACE.readableBytes()) {
            http2.run();
        } else {
            return; // so far the preface's first bytes: wait for the rest
        }
        ctx.pipeline().remove(this); // what was read goes on to the handlers just added
    }
}
