package dev.rollgate.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keep-alive connections to upstreams, one pool per event loop so that a request and its upstream
 * connection share a thread and no lock is taken. Only that event loop touches it.
 */
final class UpstreamPool {


    private final Map<String, ArrayDeque<Channel>> idle = new HashMap<>();
    private final Set<Channel> open = new HashSet<>(); // every connection of this pool, idle or busy
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final Http2Upstreams h2;
    private final int maxIdle;

    UpstreamPool(EventLoop loop, Supplier<ProxyConfig> configs, Transport transport) {
        ProxyConfig config = configs.get();
        this.maxIdle = config.maxIdleUpstreamPerEndpoint();
        this.loop = loop;
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(transport.channel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // Upstream responses are parsed line by line (no CR or LF can hide in a header), but their header
                        // names and values are not re-validated character by character: the replicas are the platform's own,
                        // and the check showed in the profile of bench/proxy.sh. Client requests stay strict.
                        ch.pipeline().addLast("idle", idle(configs.get()));
                        ch.pipeline().addLast("codec", new HttpClientCodec(new HttpDecoderConfig().setValidateHeaders(false), false, false));
                        ch.pipeline().addLast("backend", new BackendHandler());
                    }
                });
        this.h2 = new Http2Upstreams(loop, bootstrap, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel stream) {
                open.add(stream);
                stream.closeFuture().addListener(x -> open.remove(stream));
                stream.pipeline().addLast("idle", idle(configs.get()));
                stream.pipeline().addLast("codec", new Http2StreamFrameToHttpObjectCodec(false, false));
                stream.pipeline().addLast("backend", new BackendHandler());
            }
        }, config.idleTimeout().toMillis());
    }

    /**
     * Reader idle only: a connection idle in the pool reads nothing either, and watching writes would
     * make IdleStateHandler turn every void write promise into a real one with a listener (a quarter of
     * the proxy's allocations per request in a JFR profile of bench/proxy.sh). The same clock closes a
     * connection idle in the pool and tells a waiting request that its upstream has been silent
     * (BackendHandler tells the two apart).
     */
    private static IdleStateHandler idle(ProxyConfig c) {
        long readerIdle = Math.min(c.idleTimeout().toMillis(), c.timeouts().upstreamResponse().toMillis());
        return new IdleStateHandler(readerIdle, 0, 0, TimeUnit.MILLISECONDS);
    }

    /** A new HTTP/2 stream to the endpoint, on this loop's connection to it ({@link Http2Upstreams}). */
    Future<Channel> stream(Endpoint e) {
        return h2.stream(e);
    }

    /** An idle pooled connection to the endpoint, or null. */
    Channel pooled(Endpoint e) {
        ArrayDeque<Channel> q = idle.get(e.id());
        while (q != null && !q.isEmpty()) {
            Channel ch = q.pollLast(); // the most recently used is the least likely to have been closed
            if (ch.isActive()) return ch;
        }
        return null;
    }

    ChannelFuture connect(Endpoint e) {
        ChannelFuture f = bootstrap.connect(e.host(), e.port());
        Channel ch = f.channel();
        open.add(ch); // the connect runs on this pool's loop, so the set stays single-threaded
        ch.closeFuture().addListener(x -> open.remove(ch));
        return f;
    }

    /** Closes every connection serving a request to the endpoint; runs on this pool's event loop. */
    void cut(String endpointId) {
        loop.execute(() -> {
            for (Channel ch : List.copyOf(open)) {
                BackendHandler b = ch.pipeline().get(BackendHandler.class);
                if (b != null && b.exchange != null && endpointId.equals(b.endpointId)) ch.close();
            }
        });
    }

    /** Back to the pool if it can carry another request, closed otherwise (an HTTP/2 stream carries one). */
    void release(Endpoint e, Channel ch, boolean reusable) {
        BackendHandler backend = ch.pipeline().get(BackendHandler.class);
        if (backend != null) backend.exchange = null;
        if (!reusable || !ch.isActive() || ch instanceof Http2StreamChannel) {
            ch.close();
            return;
        }
        ArrayDeque<Channel> q = idle.computeIfAbsent(e.id(), id -> new ArrayDeque<>());
        if (q.size() >= maxIdle) {
            ch.close();
            return;
        }
        q.addLast(ch);
    }
}
