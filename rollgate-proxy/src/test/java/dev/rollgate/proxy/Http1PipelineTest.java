package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The HTTP/1.1 handlers both listeners put before the exchange, on an embedded channel: their order and how strictly a head is read. */
class Http1PipelineTest {

    private final List<HttpRequest> heads = new ArrayList<>();

    private EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        Http1Pipeline.addTo(ch.pipeline(), ProxyConfig.defaults(), new RecordingListener() {
            @Override
            public void read(Object msg) {
                if (msg instanceof HttpRequest r) heads.add(r);
                ReferenceCountUtil.release(msg);
            }
        });
        return ch;
    }

    private HttpRequest read(String raw) {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.US_ASCII));
        ch.finishAndReleaseAll();
        assertThat(heads).hasSize(1);
        return heads.getFirst();
    }

    @Test
    void theHeadsClockTheDecoderAndTheEncoderComeBeforeTheExchange() {
        assertThat(channel().pipeline().names()).startsWith("timeout", "decoder", "encoder", "frontend");
    }

    @Test
    void aWellFormedHeadPassesWithItsHeaders() {
        HttpRequest r = read("GET /a HTTP/1.1\r\nHost: shop.example\r\nX-Forwarded-For: 10.0.0.1\r\n\r\n");
        assertThat(r.decoderResult().isSuccess()).isTrue();
        assertThat(r.headers().get("x-forwarded-for")).isEqualTo("10.0.0.1");
    }

    @Test
    void aHeaderNameThatIsNoTokenIsRefusedEvenWhenItLooksLikeOneOfTheProxysOwn() {
        assertThat(read("GET /a HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n").decoderResult().isFailure()).isTrue();
        heads.clear();
        assertThat(read("GET /a HTTP/1.1\r\nHost: x\r\nx-forwarded-for\u0001: 1\r\n\r\n").decoderResult().isFailure()).isTrue();
    }

    @Test
    void aBareLineFeedEndsNoLine() {
        assertThat(read("GET /a HTTP/1.1\nHost: x\n\n").decoderResult().isFailure()).isTrue();
    }
}
