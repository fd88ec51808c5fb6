package dev.rollgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * One stream of a client's HTTP/2 connection ({@link Http2ClientConnection}), as its exchange sees
 * it: the request's frames in as HTTP/1.1's decoder gives a request ({@link Http2Messages}), the
 * answer out as HEADERS and DATA through the connection's encoder and flow control. While the exchange
 * holds the body (a slow replica), DATA waits here and the stream's window is not given back, so the
 * client sends no more than that window.
 */
final class Http2ClientStream implements Client {

    private final Http2ClientConnection handler;
    private final ChannelHandlerContext ctx;
    private final Http2Stream stream;
    private final int id;
    private Client.Listener reader;
    private boolean headRead;
    private boolean reading = true;
    private boolean closed;
    /** DATA read while the exchange held the body, and the flow-controlled bytes of each. */
    private ArrayDeque<Object> held;
    /** Had frames in the connection's read under way. */
    boolean inRead;

    Http2ClientStream(Http2ClientConnection handler, Http2Stream stream) {
        this.handler = handler;
        this.ctx = handler.context();
        this.stream = stream;
        this.id = stream.id();
    }

    void open(Client.Listener reader) {
        this.reader = reader;
        reader.attached(this);
    }

    /** The request's head, or the trailers that end its body. */
    void headers(Http2Headers headers, boolean endOfStream) {
        if (closed) return;
        try {
            if (!headRead) {
                headRead = true;
                reader.read(Http2Messages.toRequest(headers, endOfStream));
                if (endOfStream && !closed) reader.read(LastHttpContent.EMPTY_LAST_CONTENT);
            } else {
                pass(Http2Messages.trailers(headers), 0);
            }
        } catch (RuntimeException e) {
            close();
        }
    }

    /** A piece of the body; returns the bytes given back to the stream's window now (none while the body is held). */
    int data(ByteBuf data, int padding, boolean endOfStream) {
        int bytes = data.readableBytes() + padding;
        if (closed) return bytes;
        HttpContent piece = endOfStream ? new DefaultLastHttpContent(data.retain()) : new DefaultHttpContent(data.retain());
        return pass(piece, bytes) ? bytes : 0;
    }

    /** Passes {@code msg} on, or holds it while the exchange reads no further; true when passed. */
    private boolean pass(Object msg, int bytes) {
        if (!reading || held != null) {
            if (held == null) held = new ArrayDeque<>(4);
            held.add(msg);
            held.add(bytes);
            return false;
        }
        try {
            reader.read(msg);
        } catch (RuntimeException e) {
            close();
        }
        return true;
    }

    void readComplete() {
        inRead = false;
        if (!closed) reader.readComplete();
    }

    void writabilityChanged() {
        if (!closed) reader.writabilityChanged();
    }

    /** The stream closed: both ends done, reset by either side, or its connection gone. */
    void closed() {
        if (closed) return;
        closed = true;
        releaseHeld();
        reader.inactive();
    }

    private void releaseHeld() {
        if (held == null) return;
        for (Object o : held) ReferenceCountUtil.release(o);
        held = null;
    }

    @Override
    public void reading(boolean on) {
        reading = on;
        if (!on || held == null || closed) return;
        int given = 0;
        while (reading && held != null && !held.isEmpty()) {
            Object msg = held.poll();
            given += (Integer) held.poll();
            reader.read(msg);
        }
        if (held != null && held.isEmpty()) held = null;
        if (closed) return;
        reader.readComplete();
        if (given > 0) handler.consumed(stream, given);
        handler.flush(ctx);
    }

    @Override
    public void write(Object msg) {
        send(msg, ctx.newPromise());
    }

    @Override
    public ChannelFuture writeAndFlush(Object msg) {
        ChannelPromise promise = ctx.newPromise();
        send(msg, promise);
        flush();
        return promise;
    }

    /**
     * The answer's objects as frames: a head as HEADERS (a 100 leaves the stream open), a piece of
     * body as DATA, the end as DATA with END_STREAM or as the trailers' HEADERS that end it.
     */
    private void send(Object msg, ChannelPromise promise) {
        if (closed || !(msg instanceof HttpResponse || msg instanceof HttpContent)) {
            ReferenceCountUtil.release(msg); // nothing goes to a closed stream; bytes of no message never go on a stream
            promise.trySuccess();
            return;
        }
        Http2ConnectionEncoder out = handler.encoder();
        if (msg instanceof HttpResponse r) {
            boolean informational = r.status().codeClass() == HttpStatusClass.INFORMATIONAL;
            boolean ends = !informational && msg instanceof LastHttpContent last && !last.content().isReadable() && last.trailingHeaders().isEmpty();
            Http2Headers head = Http2Messages.toHttp2(r);
            if (!(msg instanceof HttpContent c)) {
                out.writeHeaders(ctx, id, head, 0, false, promise);
            } else if (ends || informational) {
                c.release();
                out.writeHeaders(ctx, id, head, 0, ends, promise);
            } else {
                out.writeHeaders(ctx, id, head, 0, false, ctx.newPromise());
                body(out, c, promise);
            }
        } else {
            body(out, (HttpContent) msg, promise);
        }
    }

    private void body(Http2ConnectionEncoder out, HttpContent c, ChannelPromise promise) {
        if (!(c instanceof LastHttpContent last)) {
            out.writeData(ctx, id, c.content(), 0, false, promise);
        } else if (last.trailingHeaders().isEmpty()) {
            out.writeData(ctx, id, last.content(), 0, true, promise);
        } else {
            if (last.content().isReadable()) out.writeData(ctx, id, last.content(), 0, false, ctx.newPromise());
            else last.release();
            out.writeHeaders(ctx, id, Http2Messages.fields(last.trailingHeaders(), new DefaultHttp2Headers(false)), 0, true, promise);
        }
    }

    @Override
    public void flush() {
        handler.flush(ctx);
    }

    /** Resets the stream (CANCEL) unless it is closed already; the connection and its other streams go on. */
    @Override
    public void close() {
        if (closed) return;
        handler.resetStream(ctx, id, Http2Error.CANCEL.code(), ctx.newPromise());
        handler.flush(ctx);
    }

    @Override
    public void closeAfter(ChannelFuture written) {
        written.addListener(f -> close());
    }

    @Override
    public boolean isActive() {
        return !closed && ctx.channel().isActive();
    }

    @Override
    public boolean isWritable() {
        return !closed && handler.encoder().flowController().isWritable(stream);
    }

    @Override
    public Channel connection() {
        return ctx.channel();
    }

    @Override
    public void writeRaw(ByteBuf bytes) {
        bytes.release(); // no protocol switch on an HTTP/2 stream
    }

    @Override
    public ChannelHandlerContext http1() {
        return null;
    }
}
