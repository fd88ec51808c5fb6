package dev.rollgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;

/**
 * The client's end of an exchange: an HTTP/1.1 connection ({@link Http1Client}) or one stream of an
 * HTTP/2 connection ({@link Http2ClientStream}). Answers are written as HTTP/1.1 objects either way;
 * closing an HTTP/2 stream resets that stream alone.
 */
interface Client {

    /** Queues a piece of the answer (a head, a piece of body, its end); a failed write ends the client. */
    void write(Object msg);

    /** Writes and sends at once; the future says when it went (the proxy's own answers close after it). */
    ChannelFuture writeAndFlush(Object msg);

    void flush();

    /** Ends the connection (HTTP/1.1) or resets the stream (HTTP/2). */
    void close();

    /** Ends the client once {@code written} went out. */
    void closeAfter(ChannelFuture written);

    boolean isActive();

    /** Whether the client takes what is written without it piling up (its TCP buffer, or its stream's flow-control window). */
    boolean isWritable();

    /** Reads the request's body on, or holds it (back pressure from a replica that takes it slowly). */
    void reading(boolean on);

    /** The client's connection: an HTTP/2 stream's is the one it shares with the connection's other streams. */
    Channel connection();

    default EventLoop eventLoop() {
        return connection().eventLoop();
    }

    default InetSocketAddress remoteAddress() {
        return (InetSocketAddress) connection().remoteAddress();
    }

    /** The TLS server name of the connection, or null. */
    default String sni() {
        return connection().attr(FrontDoor.SNI_HOST).get();
    }

    /** Bytes of a switched protocol (after a 101), as they came: an HTTP/1.1 connection's alone. */
    void writeRaw(ByteBuf bytes);

    /** The HTTP/1.1 connection's handler context (its codec, clock and protocol switch), or null on an HTTP/2 stream. */
    ChannelHandlerContext http1();

    /** What a client tells the reader of its requests ({@link FrontendHandler}), as a channel's events would. */
    interface Listener {

        void attached(Client client);

        /** A request head, a piece of its body, or its end. */
        void read(Object msg);

        /** What this read of the socket brought has been passed on. */
        void readComplete();

        void writabilityChanged();

        /** The connection closed, or the stream closed or was reset. */
        void inactive();
    }
}
