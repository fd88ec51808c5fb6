package dev.rollgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * A replica's response on its way to the client: the head as {@link HeadRewrite} makes it, the
 * body passed on piece by piece (compressed when the service asks and the client accepts it) and
 * flushed once per read of the replica's connection (one write call for what one read brought),
 * its bytes counted as sent, and a copy of it as the replica sent it given to the mirror's pairing.
 */
final class ResponseStream {

    private final Client client;
    private final HeadAwareResponseEncoder encoder;
    private final Mirror.Pair mirrored;
    private final boolean grpc;
    private String grpcStatus;
    private BodyEncoder compressor;
    private boolean unflushed;
    private long bytes;

    /**
     * {@code encoder}: the client connection's (null on an HTTP/2 stream); {@code mirrored}: the
     * pairing, or null; {@code grpc}: the replica speaks h2c, so a {@code grpc-status} it ends with counts.
     */
    ResponseStream(Client client, HeadAwareResponseEncoder encoder, Mirror.Pair mirrored, boolean grpc) {
        this.client = client;
        this.encoder = encoder;
        this.mirrored = mirrored;
        this.grpc = grpc;
    }

    /** The status the metrics count for this answer of HTTP {@code status} ({@link GrpcStatus#counted}). */
    int counted(int status) {
        return GrpcStatus.counted(status, grpcStatus);
    }

    /**
     * Passes on the head, rewritten for the client: compressed by {@code compression} (null or off:
     * as it is) for a client that sent {@code acceptEncoding}. Says whether the replica's connection
     * can carry another request.
     */
    boolean head(HttpResponse response, HeadRewrite.ToClient owed, Compression compression, String acceptEncoding) {
        if (mirrored != null) mirrored.head(response); // compared as the replica sent it
        if (grpc) grpcStatus = response.headers().get(GrpcStatus.HEADER); // a trailers-only answer
        if (compression != null && compression.enabled() && compression.eligible(response, owed.headRequest())) {
            HttpHeaders h = response.headers();
            if (!h.containsValue(HttpHeaderNames.VARY, "accept-encoding", true)) h.add(HttpHeaderNames.VARY, "Accept-Encoding");
            String encoding = compression.choose(acceptEncoding);
            if (encoding != null) {
                compressor = BodyEncoder.of(encoding);
                h.remove(HttpHeaderNames.CONTENT_LENGTH).set(HttpHeaderNames.CONTENT_ENCODING, encoding);
                String etag = h.get(HttpHeaderNames.ETAG);
                if (etag != null && etag.startsWith("\"")) h.set(HttpHeaderNames.ETAG, "W/" + etag); // no longer the same bytes (nginx does the same)
            }
        }
        boolean reusable = HeadRewrite.toClient(response, owed);
        if (encoder != null) encoder.head = owed.headRequest();
        client.write(response); // forwarded as is: its headers were edited in place
        unflushed = true;
        return reusable;
    }

    /** Passes on a piece of the body; true when it was the last, which is flushed at once. */
    boolean content(HttpContent piece) {
        if (mirrored != null) mirrored.body(piece.content());
        boolean last = piece instanceof LastHttpContent;
        if (grpc && last && ((LastHttpContent) piece).trailingHeaders().contains(GrpcStatus.HEADER)) {
            grpcStatus = ((LastHttpContent) piece).trailingHeaders().get(GrpcStatus.HEADER);
        }
        HttpContent out = piece;
        if (compressor != null) {
            compressor.encode(piece.content().retain());
            if (!last) {
                piece.release(); // compressed out at the end of the replica's read (flush)
                return false;
            }
            out = new DefaultLastHttpContent(compressor.finish(), ((LastHttpContent) piece).trailingHeaders());
            piece.release();
            compressor = null;
        }
        bytes += out.content().readableBytes();
        client.write(out);
        if (last) {
            unflushed = false;
            client.flush();
            return true;
        }
        unflushed = true;
        return false;
    }

    /** The replica's read ended: what it brought goes out (compressed together, when it is). */
    void flush() {
        if (compressor != null) {
            ByteBuf out = compressor.flush();
            if (out.isReadable()) {
                bytes += out.readableBytes();
                client.write(new DefaultHttpContent(out));
                unflushed = true;
            } else {
                out.release();
            }
        }
        if (unflushed) {
            unflushed = false;
            client.flush();
        }
    }

    /** Lets go of the compressor of a response that will not end (the client or the replica left). */
    void abandon() {
        if (compressor != null) compressor.discard();
        compressor = null;
    }

    /** Body bytes passed on so far, as sent (compressed, when they are). */
    long bytes() {
        return bytes;
    }
}
