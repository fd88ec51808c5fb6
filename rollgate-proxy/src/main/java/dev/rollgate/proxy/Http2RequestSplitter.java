package dev.rollgate.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * On an HTTP/2 stream, a request that came whole (its HEADERS ended the stream, or HEADERS then one
 * DATA) is passed on as a head and a last content, as HTTP/1.1's decoder gives every request, so
 * that an exchange reads one shape. The body's buffer and the trailers move over; nothing is copied.
 */
final class Http2RequestSplitter extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest full)) {
            ctx.fireChannelRead(msg);
            return;
        }
        var head = new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(), full.headers());
        head.setDecoderResult(full.decoderResult());
        ctx.fireChannelRead(head);
        ctx.fireChannelRead(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
    }
}
