package dev.rollgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** An HTTP/1.1 client connection: the last handler of its pipeline, passing the channel's events to the reader of its requests. */
final class Http1Client extends ChannelInboundHandlerAdapter implements Client {

    private final Client.Listener reader;
    private ChannelHandlerContext ctx;

    Http1Client(Client.Listener reader) {
        this.reader = reader;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        reader.attached(this);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        reader.read(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        reader.readComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        reader.writabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        reader.inactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    @Override
    public void write(Object msg) {
        ctx.write(msg, ctx.voidPromise());
    }

    @Override
    public ChannelFuture writeAndFlush(Object msg) {
        return ctx.writeAndFlush(msg);
    }

    @Override
    public void flush() {
        ctx.flush();
    }

    @Override
    public void close() {
        ctx.close();
    }

    @Override
    public void closeAfter(ChannelFuture written) {
        written.addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public boolean isActive() {
        return ctx.channel().isActive();
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    @Override
    public void reading(boolean on) {
        ctx.channel().config().setAutoRead(on);
    }

    @Override
    public Channel connection() {
        return ctx.channel();
    }

    @Override
    public void writeRaw(ByteBuf bytes) {
        ctx.pipeline().firstContext().writeAndFlush(bytes);
    }

    @Override
    public ChannelHandlerContext http1() {
        return ctx;
    }
}
