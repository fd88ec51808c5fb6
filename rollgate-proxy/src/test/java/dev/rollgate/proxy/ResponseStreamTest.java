package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A replica's response on an embedded client connection: what is written, when it is flushed, and what is counted. */
class ResponseStreamTest {

    private final HeadAwareResponseEncoder encoder = new HeadAwareResponseEncoder();
    private final EmbeddedChannel client = new EmbeddedChannel(encoder, new ChannelInboundHandlerAdapter());
    private final ChannelHandlerContext ctx = client.pipeline().lastContext();
    private final ResponseStream stream = new ResponseStream(ctx, encoder, null);

    private String flushed() {
        StringBuilder out = new StringBuilder();
        ByteBuf b;
        while ((b = client.readOutbound()) != null) {
            out.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return out.toString();
    }

    private static DefaultHttpResponse response() {
        var r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        r.headers().set("content-length", "5").set("connection", "keep-alive").set("keep-alive", "timeout=5");
        return r;
    }

    @Test
    void whatOneReadOfTheReplicaBroughtGoesOutInOneFlushAndTheLastPieceAtOnce() {
        boolean reusable = stream.head(response(), new HeadRewrite.ToClient(false, true, false, null, 0));
        assertThat(reusable).isTrue();
        assertThat(stream.content(new DefaultHttpContent(Unpooled.copiedBuffer("hel", StandardCharsets.UTF_8)))).isFalse();
        assertThat(flushed()).as("nothing before the read ends").isEmpty();

        stream.flush();
        assertThat(flushed()).startsWith("HTTP/1.1 200 OK\r\n").doesNotContain("keep-alive").endsWith("\r\n\r\nhel");

        assertThat(stream.content(new DefaultLastHttpContent(Unpooled.copiedBuffer("lo", StandardCharsets.UTF_8)))).isTrue();
        assertThat(flushed()).isEqualTo("lo");
        assertThat(stream.bytes()).isEqualTo(5);
        stream.flush();
        assertThat(flushed()).as("nothing left to flush").isEmpty();
    }

    @Test
    void aHeadRequestsAnswerIsEncodedWithoutItsBody() {
        var r = response();
        stream.head(r, new HeadRewrite.ToClient(true, true, false, null, 0));
        assertThat(encoder.head).isTrue();
        stream.content(new DefaultLastHttpContent());
        assertThat(flushed()).contains("content-length: 5").endsWith("\r\n\r\n");
    }
}
