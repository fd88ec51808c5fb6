package dev.rollgate.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import java.util.function.Supplier;

/**
 * A 101 Switching Protocols (a WebSocket, say), once the 101 reached the client: both connections
 * stop speaking HTTP and become byte relays to each other. The upstream's codec, idle clock and
 * exchange handler go; the client's head clock, codec and exchange go. Each relay is in place
 * before the codec that fed it leaves, so bytes that followed the 101 in the same read are relayed.
 */
final class ProtocolSwitch {

    private ProtocolSwitch() {}

    /**
     * Sends the replica's 101 on to the client, the replica's connection held still meanwhile; once
     * it is out, {@code handOver} yields that connection and both are rewired. If it cannot be sent,
     * the replica's connection closes (and the exchange learns it as a replica gone mid-response).
     */
    static void answer(ChannelHandlerContext client, HttpResponse response, Channel upstream, Supplier<Channel> handOver) {
        upstream.config().setAutoRead(false);
        HeadAwareResponseEncoder encoder = client.pipeline().get(HeadAwareResponseEncoder.class);
        if (encoder != null) encoder.head = false;
        client.writeAndFlush(new DefaultHttpResponse(HttpVersion.HTTP_1_1, response.status(), response.headers())).addListener(f -> {
            if (f.isSuccess()) rewire(client.pipeline(), client.handler(), handOver.get());
            else upstream.close();
        });
    }

    /** {@code exchange}: the client pipeline's last handler ({@link Http1Client}). */
    static void rewire(ChannelPipeline client, ChannelHandler exchange, Channel upstream) {
        ChannelPipeline up = upstream.pipeline();
        up.remove(BackendHandler.class);
        up.remove("idle");
        up.addLast(new Relay(client.channel()));
        up.remove("codec");
        client.remove(RequestHeadTimeout.class);
        client.remove(exchange);
        client.addLast(new Relay(upstream));
        client.remove("decoder");
        client.remove("encoder");
        upstream.config().setAutoRead(true);
        client.channel().config().setAutoRead(true);
    }
}
