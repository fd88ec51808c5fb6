package dev.rollgate.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;

/**
 * A 101 Switching Protocols (a WebSocket, say), once the 101 reached the client: both connections
 * stop speaking HTTP and become byte relays to each other. The upstream's codec, idle clock and
 * exchange handler go; the client's head clock, codec and exchange go. Each relay is in place
 * before the codec that fed it leaves, so bytes that followed the 101 in the same read are relayed.
 */
final class ProtocolSwitch {

    private ProtocolSwitch() {}

    /** {@code exchange}: the client pipeline's {@link FrontendHandler}. */
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
