package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** An HTTP/2 stream's whole request reaches the exchange as a head and a last content, as HTTP/1.1's decoder gives it. */
class Http2RequestSplitterTest {

    @Test
    void aWholeRequestBecomesItsHeadThenItsBodyWithTheTrailers() {
        var ch = new EmbeddedChannel(new Http2RequestSplitter());
        var body = Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8);
        FullHttpRequest full = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/orders", body);
        full.headers().set("x-tenant", "a");
        full.trailingHeaders().set("grpc-status", "0");

        ch.writeInbound(full);

        Object first = ch.readInbound();
        assertThat(first).isInstanceOf(HttpRequest.class).isNotInstanceOf(HttpContent.class);
        HttpRequest head = (HttpRequest) first;
        assertThat(head.method()).isEqualTo(HttpMethod.POST);
        assertThat(head.uri()).isEqualTo("/orders");
        assertThat(head.headers().get("x-tenant")).isEqualTo("a");
        LastHttpContent last = ch.readInbound();
        assertThat(last.content()).as("the same buffer, not a copy").isSameAs(body);
        assertThat(last.trailingHeaders().get("grpc-status")).isEqualTo("0");
        assertThat(body.refCnt()).isEqualTo(1);
        last.release();
        assertThat((Object) ch.readInbound()).isNull();
    }

    @Test
    void aRequestThatStreamsPassesAsItCame() {
        var ch = new EmbeddedChannel(new Http2RequestSplitter());
        var head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/upload");
        var piece = new DefaultHttpContent(Unpooled.copiedBuffer("part", StandardCharsets.UTF_8));
        ch.writeInbound(head, piece);
        assertThat((Object) ch.readInbound()).isSameAs(head);
        assertThat((Object) ch.readInbound()).isSameAs(piece);
        piece.release();
    }
}
