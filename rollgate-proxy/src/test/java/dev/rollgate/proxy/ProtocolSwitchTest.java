package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A 101's rewiring on two embedded channels: what leaves each pipeline, and bytes relayed both ways. */
class ProtocolSwitchTest {

    private static String text(Object msg) {
        ByteBuf b = (ByteBuf) msg;
        try {
            return b.toString(StandardCharsets.UTF_8);
        } finally {
            b.release();
        }
    }

    @Test
    void bothConnectionsBecomeRelaysToEachOther() {
        var exchange = new ChannelInboundHandlerAdapter();
        EmbeddedChannel client = new EmbeddedChannel();
        client.pipeline().addLast("timeout", new RequestHeadTimeout(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(10)));
        client.pipeline().addLast("decoder", new HttpRequestDecoder());
        client.pipeline().addLast("encoder", new HttpResponseEncoder());
        client.pipeline().addLast("frontend", exchange);
        EmbeddedChannel upstream = new EmbeddedChannel();
        upstream.pipeline().addLast("idle", new IdleStateHandler(60, 0, 0));
        upstream.pipeline().addLast("codec", new HttpClientCodec());
        upstream.pipeline().addLast("backend", new BackendHandler());
        client.config().setAutoRead(false);
        upstream.config().setAutoRead(false);

        ProtocolSwitch.rewire(client.pipeline(), exchange, upstream);

        assertThat(client.pipeline().names()).doesNotContain("timeout", "decoder", "encoder", "frontend");
        assertThat(client.pipeline().get(Relay.class)).isNotNull();
        assertThat(upstream.pipeline().names()).doesNotContain("idle", "codec", "backend");
        assertThat(upstream.pipeline().get(Relay.class)).isNotNull();
        assertThat(client.config().isAutoRead()).isTrue();
        assertThat(upstream.config().isAutoRead()).isTrue();

        upstream.writeInbound(Unpooled.copiedBuffer("from the server", StandardCharsets.UTF_8));
        assertThat(text(client.readOutbound())).isEqualTo("from the server");
        client.writeInbound(Unpooled.copiedBuffer("from the client", StandardCharsets.UTF_8));
        assertThat(text(upstream.readOutbound())).isEqualTo("from the client");
        client.finishAndReleaseAll();
        upstream.finishAndReleaseAll();
    }
}
