package dev.rollgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One try of an exchange on one replica (Envoy's upstream request): it holds a slot of the
 * replica's requests in flight and one connection to it, pooled or new; sends the request with
 * back-pressure both ways, passes the response to its exchange, tells it when the replica has been
 * silent too long, and in the end gives the connection back to the pool or closes it.
 */
final class UpstreamAttempt implements Upstream {

    /** The most of a request body kept for a stream a replica's GOAWAY may refuse (gRPC calls are mostly far smaller). */
    static final long KEPT_MAX = 64 * 1024;

    final EndpointState endpoint;
    private final Exchange exchange;
    private final Client client;
    private final UpstreamPool pool;
    private final long timeoutNanos;
    private final Outliers outliers;
    private final boolean h2c;
    /** h2c: what of the body went out, kept until the replica answers, for a stream its GOAWAY refuses; null once too large. */
    private List<HttpContent> kept;
    private long keptBytes;
    /** Whether the connection came from the pool (a request that reached no replica on it may be sent again). */
    boolean reused;
    /** The connection, once there; null after the end, or once the replica closed it. */
    Channel channel;
    private boolean unflushed;
    private boolean ended;
    private long lastHeardNanos; // when the request was sent, or the replica last sent anything

    /** Takes a slot of {@code endpoint} (the router picked it, counted in). */
    UpstreamAttempt(Exchange exchange, EndpointState endpoint, Client client, UpstreamPool pool, long timeoutNanos,
                    Outliers outliers, UpstreamProtocol protocol) {
        this.exchange = exchange;
        this.outliers = outliers;
        this.h2c = protocol == UpstreamProtocol.H2C;
        this.kept = h2c ? new ArrayList<>(2) : null;
        this.endpoint = endpoint;
        this.client = client;
        this.pool = pool;
        this.timeoutNanos = timeoutNanos;
        endpoint.endpointStats.inFlight.incrementAndGet();
    }

    /**
     * Takes an idle pooled connection, or opens one ({@code fresh}: always a new one); or for a
     * replica that speaks h2c, opens a stream on this loop's connection to it. Then the exchange sends.
     */
    void connect(boolean fresh) {
        if (h2c) {
            // A stream that fails is never taken for one that "died idle in the pool": reused stays false.
            pool.stream(endpoint.endpoint).addListener(f -> {
                if (ended) {
                    if (f.isSuccess()) ((Channel) f.getNow()).close();
                } else if (f.isSuccess()) {
                    attach((Channel) f.getNow());
                } else {
                    exchange.onConnectFailed(f.cause());
                }
            });
            return;
        }
        Channel pooled = fresh ? null : pool.pooled(endpoint.endpoint);
        if (pooled != null) {
            reused = true;
            attach(pooled);
            return;
        }
        pool.connect(endpoint.endpoint).addListener((ChannelFutureListener) f -> {
            if (ended) {
                if (f.isSuccess()) f.channel().close();
            } else if (f.isSuccess()) {
                attach(f.channel());
            } else {
                exchange.onConnectFailed(f.cause());
            }
        });
    }

    private void attach(Channel ch) {
        channel = ch;
        BackendHandler backend = ch.pipeline().get(BackendHandler.class);
        backend.exchange = this;
        backend.endpointId = endpoint.endpoint.id();
        ch.config().setAutoRead(true);
        exchange.onConnected();
    }

    /** Sends the head and the part of the body in hand ({@code requestDone}: the body ended; its end is sent too). */
    void send(HttpRequest head, List<HttpContent> body, boolean requestDone) {
        Channel ch = channel;
        ch.write(head, ch.voidPromise());
        lastHeardNanos = System.nanoTime();
        boolean lastWritten = false;
        for (HttpContent c : body) {
            lastWritten |= c instanceof LastHttpContent;
            keep(c);
            ch.write(c, ch.voidPromise());
        }
        // A request without a body replayed on another upstream: its end went to the first one.
        if (requestDone && !lastWritten) ch.write(LastHttpContent.EMPTY_LAST_CONTENT, ch.voidPromise());
        ch.flush();
        if (!ch.isWritable()) client.reading(false);
    }

    /** More of the body; it goes out when the client's read ends ({@link #flush}), and the client waits while the replica is slow. */
    void write(HttpContent c) {
        keep(c);
        channel.write(c, channel.voidPromise());
        unflushed = true;
        if (!channel.isWritable()) client.reading(false);
    }

    /** Keeps a duplicate of a piece of the body while it may have to go again (h2c, up to {@link #KEPT_MAX} bytes). */
    private void keep(HttpContent c) {
        if (kept == null) return;
        keptBytes += c.content().readableBytes();
        if (keptBytes > KEPT_MAX) {
            dropKept();
            return;
        }
        kept.add(c.retainedDuplicate());
    }

    private void dropKept() {
        if (kept != null) kept.forEach(HttpContent::release);
        kept = null;
    }

    void flush() {
        if (unflushed && channel != null) {
            unflushed = false;
            channel.flush();
        }
    }

    /** The client can take more (or not): the replica's connection reads on (or waits). */
    void reading(boolean on) {
        if (channel != null) channel.config().setAutoRead(on);
    }

    /**
     * Ends the attempt: the connection goes back to the pool when {@code keepConnection}, else it is
     * closed (mid-response, it may still be sending); the replica's slot is given back.
     */
    void end(boolean keepConnection) {
        if (ended) return;
        ended = true;
        dropKept();
        Channel ch = channel;
        channel = null;
        if (ch != null) pool.release(endpoint.endpoint, ch, keepConnection);
        freeSlot();
    }

    /** After a 101: the slot is given back (a WebSocket is long-lived and must not hold a drain open); the connection is the relay's now. */
    Channel handOver() {
        ended = true;
        dropKept();
        Channel ch = channel;
        channel = null;
        freeSlot();
        return ch;
    }

    private void freeSlot() {
        endpoint.endpointStats.inFlight.decrementAndGet();
        endpoint.release();
    }

    /** The replica answered {@code status}, {@code micros} after the request came ({@link ExchangeLog#record}); a 5xx is a failure in a row. */
    void answered(int status, long micros, Mirror.Pair mirrored) {
        ExchangeLog.record(endpoint, status, micros, mirrored);
        if (status != 0) outliers.observe(endpoint, status >= 500);
    }

    /** A masked error counts as a retry against this replica (its status was charged by {@link #answered}). */
    void chargeRetry() {
        endpoint.endpointStats.retry();
        endpoint.revisionStats.retry();
    }

    /**
     * The request is sent again elsewhere after this try failed before an answer: a retry against
     * this replica, and a failure in a row unless the connection came from the pool (one the replica
     * closed as it was reused is keep-alive's race, not the replica's fault).
     */
    void chargeFailedTry() {
        chargeRetry();
        if (!reused) outliers.observe(endpoint, true);
    }

    /** A connection that broke under a request counts as a socket error against this replica, and a failure in a row. */
    void chargeSocketError() {
        endpoint.endpointStats.socketError();
        endpoint.revisionStats.socketError();
        outliers.observe(endpoint, true);
    }

    // ---- what the replica's connection reports ({@link BackendHandler}) ---------------------------

    @Override
    public void onResponse(HttpResponse response) {
        dropKept(); // the replica took the request: it is never sent again from here
        lastHeardNanos = System.nanoTime();
        exchange.onResponse(response);
    }

    @Override
    public void onResponseContent(HttpContent content) {
        lastHeardNanos = System.nanoTime();
        exchange.onResponseContent(content);
    }

    @Override
    public void onRawBytes(ByteBuf bytes) {
        client.writeRaw(bytes);
    }

    @Override
    public void onUpstreamReadComplete() {
        exchange.flushClient();
    }

    @Override
    public void onUpstreamWritable() {
        client.reading(true);
    }

    @Override
    public void onUpstreamRefused() {
        List<HttpContent> body = kept;
        kept = null;
        exchange.onRefused(body); // null: too much of the body went out to keep; it fails as a connection closed under it
    }

    @Override
    public void onUpstreamClosed(Throwable cause) {
        channel = null;
        exchange.onUpstreamClosed(cause);
    }

    /**
     * The connection's reader-idle clock fired. It counts from the connection's last read, which for
     * a pooled connection can be before this request was sent: then it looks again when the request
     * itself has waited the whole timeout. A replica held back for a slow client is the send timeout's.
     */
    @Override
    public void onUpstreamSilent() {
        Channel ch = channel;
        if (ch == null || !ch.config().isAutoRead() || !exchange.phase.awaitsUpstream()) return;
        long quiet = System.nanoTime() - lastHeardNanos;
        if (quiet < timeoutNanos) {
            client.eventLoop().schedule(() -> {
                if (channel == ch) onUpstreamSilent();
            }, timeoutNanos - quiet, TimeUnit.NANOSECONDS);
            return;
        }
        exchange.onUpstreamSilent(TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
    }
}
