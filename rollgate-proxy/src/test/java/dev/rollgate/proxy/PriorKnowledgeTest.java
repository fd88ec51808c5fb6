package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A clear-text connection's first bytes choose its protocol; what was read goes on to the handlers chosen. */
class PriorKnowledgeTest {

    private final List<String> chosen = new ArrayList<>();
    private final EmbeddedChannel ch = new EmbeddedChannel();

    private void sniff() {
        ch.pipeline().addLast("protocol", new PriorKnowledge(() -> chosen.add("http1"), () -> chosen.add("http2")));
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter()); // what the chosen handlers would read
    }

    private String passedOn() {
        StringBuilder b = new StringBuilder();
        ByteBuf in;
        while ((in = ch.readInbound()) != null) {
            b.append(in.toString(StandardCharsets.ISO_8859_1));
            in.release();
        }
        return b.toString();
    }

    @Test
    void anHttp1RequestIsHttp1FromItsFirstByte() {
        sniff();
        ch.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n", StandardCharsets.US_ASCII));
        assertThat(chosen).containsExactly("http1");
        assertThat(ch.pipeline().get("protocol")).isNull();
        assertThat(passedOn()).isEqualTo("GET / HTTP/1.1\r\n");
    }

    @Test
    void theHttp2PrefaceIsHttp2EvenWhenItComesInPieces() {
        sniff();
        ByteBuf preface = Http2CodecUtil.connectionPrefaceBuf();
        ch.writeInbound(preface.retainedSlice(0, 10));
        assertThat(chosen).as("the preface's first bytes: not yet").isEmpty();
        ch.writeInbound(Unpooled.wrappedBuffer(preface.retainedSlice(10, preface.readableBytes() - 10),
                Unpooled.copiedBuffer("SETTINGS", StandardCharsets.US_ASCII)));
        assertThat(chosen).containsExactly("http2");
        assertThat(passedOn()).isEqualTo(preface.toString(StandardCharsets.ISO_8859_1) + "SETTINGS");
    }

    @Test
    void aPrefixOfThePrefaceThatThenDiffersIsHttp1() {
        sniff();
        ch.writeInbound(Unpooled.copiedBuffer("PRI * HTTP/1.1\r\n", StandardCharsets.US_ASCII));
        assertThat(chosen).containsExactly("http1");
    }
}
