package dev.rollgate.proxy;

import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A request's body on its way through (kamal-proxy's request buffer): counted against the
 * service's limit, held while no replica has the request's head (read whole first when the service
 * buffers requests, up to what a buffer should hold in memory), and streamed once one has it.
 */
final class RequestBody {

    /** bufferRequests reads a body whole up to this; a larger one streams on once a replica is chosen. */
    static final long MAX_BUFFERED = 8L << 20;
    /** Pieces held while no replica has the head, before the client is read no further. */
    static final int MAX_HELD = 16;

    /** What came of one piece of the body. */
    enum Taken {
        /** Held for the replica to come. */
        HELD,
        /** Held, and the client should be read no further until a replica takes what is held. */
        HELD_FULL,
        /** Gone on to the replica. */
        SENT,
        /** Buffering is over (the whole body, or as much as a buffer holds): time to choose a replica. */
        BUFFERED,
        /** Over the service's limit: dropped; the request is to be refused (413) or, mid-response, cut. */
        TOO_LARGE
    }

    private final long maxBytes;
    private final List<HttpContent> held = new ArrayList<>(0);
    private long bytes;
    private boolean done;

    /** {@code maxBytes}: the service's limit, 0 for none. */
    RequestBody(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Whether the body has been read to its end. */
    boolean done() {
        return done;
    }

    /** Marks the end read without a piece to keep (the exchange was over when it came). */
    void ended() {
        done = true;
    }

    /** {@code buffering}: the service reads bodies whole first; {@code replica}: where the body streams, null while no replica has the head. */
    Taken take(HttpContent piece, boolean buffering, Consumer<HttpContent> replica) {
        boolean last = piece instanceof LastHttpContent;
        if (last) done = true;
        bytes += piece.content().readableBytes();
        if (maxBytes > 0 && bytes > maxBytes) {
            piece.release();
            return Taken.TOO_LARGE;
        }
        if (buffering) {
            held.add(piece);
            return last || bytes > MAX_BUFFERED ? Taken.BUFFERED : Taken.HELD;
        }
        if (replica != null) {
            replica.accept(piece);
            return Taken.SENT;
        }
        held.add(piece);
        return !last && held.size() > MAX_HELD ? Taken.HELD_FULL : Taken.HELD;
    }

    /** What is held, handed over in order (to a replica that now has the head). */
    List<HttpContent> drain() {
        if (held.isEmpty()) return List.of(); // most requests: nothing held, nothing allocated
        List<HttpContent> out = List.copyOf(held);
        held.clear();
        return out;
    }

    /** What went to a replica whose GOAWAY then refused it unprocessed: held again, before anything that came since. */
    void putBack(List<HttpContent> sent) {
        held.addAll(0, sent);
    }

    /** {@code Expect: 100-continue} is answered here, so that the body streams on; the replica then sees a plain request. */
    static void continueIfExpected(Client client, HttpRequest request) {
        if (!HttpUtil.is100ContinueExpected(request)) return;
        request.headers().remove(HttpHeaderNames.EXPECT);
        client.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }

    /** Lets go of what is held (the exchange ended). */
    void release() {
        held.forEach(HttpContent::release);
        held.clear();
    }
}
