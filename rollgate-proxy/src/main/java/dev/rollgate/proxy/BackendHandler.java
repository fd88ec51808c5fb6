package dev.rollgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/** The handler on an upstream connection: hands what arrives to the request it currently serves. */
final class BackendHandler extends ChannelInboundHandlerAdapter {

    Upstream exchange;
    /** The request of a stream the replica refused unprocessed, sent again once the stream has closed. */
    private Upstream refused;
    /** The endpoint the current exchange is for, so that a drain timeout can find its connections. */
    String endpointId;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Upstream ex = exchange;
        if (ex == null) {
            ReferenceCountUtil.release(msg); // nothing asked: an idle connection's stray bytes
            ctx.close();
            return;
        }
        if (msg instanceof HttpResponse r) {
            if (r.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                ctx.close();
                return;
            }
            if (msg instanceof FullHttpResponse full) {
                // An HTTP/2 answer in one HEADERS frame (a gRPC trailers-only answer): a head, then its end, as HTTP/1.1 gives them.
                var head = new DefaultHttpResponse(full.protocolVersion(), full.status(), full.headers());
                var end = new DefaultLastHttpContent(full.content(), full.trailingHeaders());
                GrpcStatus.toTrailers(head.headers(), end.trailingHeaders(), end.content().isReadable());
                ex.onResponse(head);
                ex.onResponseContent(end);
                return;
            }
            ex.onResponse(r);
            if (msg instanceof HttpContent c) ex.onResponseContent(c);
        } else if (msg instanceof HttpContent c) {
            ex.onResponseContent(c);
        } else if (msg instanceof ByteBuf b) {
            ex.onRawBytes(b);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Upstream ex = exchange;
        if (ex != null) ex.onUpstreamReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Upstream ex = exchange;
        if (ex != null && ctx.channel().isWritable()) ex.onUpstreamWritable();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Upstream again = refused;
        refused = null;
        if (again != null) again.onUpstreamRefused();
        Upstream ex = exchange;
        exchange = null;
        if (ex != null) ex.onUpstreamClosed(null);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        // A GOAWAY reaches only the streams above its last stream id, and REFUSED_STREAM is said of a stream before any
        // of it was processed: either way the request may go again (RFC 9113, 8.7), once the stream has closed (closing it
        // from here would send the replica a RST_STREAM for a stream it never took, which a strict peer takes for a
        // connection error, ending the streams it did take).
        if (evt instanceof Http2GoAwayFrame || evt instanceof Http2ResetFrame reset && reset.errorCode() == Http2Error.REFUSED_STREAM.code()) {
            ReferenceCountUtil.release(evt);
            refused = exchange;
            exchange = null;
            return;
        }
        if (!(evt instanceof IdleStateEvent)) return;
        Upstream ex = exchange;
        if (ex == null) ctx.close(); // idle in the pool too long
        else ex.onUpstreamSilent();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Upstream ex = exchange;
        exchange = null;
        ctx.close();
        if (ex != null) ex.onUpstreamClosed(cause);
    }
}
