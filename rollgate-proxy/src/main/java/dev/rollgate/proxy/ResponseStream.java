package dev.rollgate.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * A replica's response on its way to the client: the head as {@link HeadRewrite} makes it, the
 * body passed on piece by piece and flushed once per read of the replica's connection (one write
 * call for what one read brought), its bytes counted, and a copy given to the mirror's pairing.
 */
final class ResponseStream {

    private final ChannelHandlerContext client;
    private final HeadAwareResponseEncoder encoder;
    private final Mirror.Pair mirrored;
    private boolean unflushed;
    private long bytes;

    /** {@code encoder}: the client connection's (null on an HTTP/2 stream); {@code mirrored}: the pairing, or null. */
    ResponseStream(ChannelHandlerContext client, HeadAwareResponseEncoder encoder, Mirror.Pair mirrored) {
        this.client = client;
        this.encoder = encoder;
        this.mirrored = mirrored;
    }

    /** Passes on the head, rewritten for the client; says whether the replica's connection can carry another request. */
    boolean head(HttpResponse response, HeadRewrite.ToClient owed) {
        if (mirrored != null) mirrored.head(response); // compared as the replica sent it
        boolean reusable = HeadRewrite.toClient(response, owed);
        if (encoder != null) encoder.head = owed.headRequest();
        client.write(response, client.voidPromise()); // forwarded as is: its headers were edited in place
        unflushed = true;
        return reusable;
    }

    /** Passes on a piece of the body; true when it was the last, which is flushed at once. */
    boolean content(HttpContent piece) {
        bytes += piece.content().readableBytes();
        if (mirrored != null) mirrored.body(piece.content());
        client.write(piece, client.voidPromise());
        if (piece instanceof LastHttpContent) {
            unflushed = false;
            client.flush();
            return true;
        }
        unflushed = true;
        return false;
    }

    /** The replica's read ended: what it brought goes out. */
    void flush() {
        if (unflushed) {
            unflushed = false;
            client.flush();
        }
    }

    /** Body bytes passed on so far. */
    long bytes() {
        return bytes;
    }
}
