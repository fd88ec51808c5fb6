package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** An HTTP/2 stream's frames as an exchange reads a request, and its answer back as frames. */
class Http2StreamCodecTest {

    private static Http2Headers request(String method, String path) {
        return new DefaultHttp2Headers().method(method).path(path).scheme("https").authority("shop.example");
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    @Test
    void aRequestInOneHeadersFrameIsItsHeadThenItsEnd() {
        var ch = new EmbeddedChannel(new Http2StreamCodec());
        ch.writeInbound(new DefaultHttp2HeadersFrame(request("GET", "/orders?id=7").add("x-tenant", "a"), true));

        HttpRequest head = ch.readInbound();
        assertThat(head.method()).isEqualTo(HttpMethod.GET);
        assertThat(head.uri()).isEqualTo("/orders?id=7");
        assertThat(head.headers().get("host")).as(":authority").isEqualTo("shop.example");
        assertThat(head.headers().get("x-tenant")).isEqualTo("a");
        assertThat(head.headers().names()).as("no pseudo-header, no extension header").containsExactlyInAnyOrder("x-tenant", "host");
        assertThat(head.decoderResult().isSuccess()).isTrue();
        assertThat((Object) ch.readInbound()).isInstanceOf(LastHttpContent.class);
        assertThat((Object) ch.readInbound()).isNull();
    }

    @Test
    void aBodyOfUnknownLengthIsChunkedAndItsTrailersEndIt() {
        var ch = new EmbeddedChannel(new Http2StreamCodec());
        ByteBuf piece = text("part");
        ch.writeInbound(new DefaultHttp2HeadersFrame(request("POST", "/upload").add("cookie", "a=1").add("cookie", "b=2"), false),
                new DefaultHttp2DataFrame(piece, false), new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().add("grpc-status", "0"), true));

        HttpRequest head = ch.readInbound();
        assertThat(head.headers().get("transfer-encoding")).isEqualTo("chunked");
        assertThat(head.headers().getAll("cookie")).as("crumbs joined (RFC 9113, 8.2.3)").containsExactly("a=1; b=2");
        HttpContent body = ch.readInbound();
        assertThat(body).isNotInstanceOf(LastHttpContent.class);
        assertThat(body.content()).as("the frame's buffer, not a copy").isSameAs(piece);
        body.release();
        LastHttpContent end = ch.readInbound();
        assertThat(end.trailingHeaders().get("grpc-status")).isEqualTo("0");
    }

    @Test
    void aKnownLengthStaysAndTheLastDataFrameEndsTheBody() {
        var ch = new EmbeddedChannel(new Http2StreamCodec());
        ch.writeInbound(new DefaultHttp2HeadersFrame(request("PUT", "/a").add("content-length", "2"), false),
                new DefaultHttp2DataFrame(text("ok"), true));
        HttpRequest head = ch.readInbound();
        assertThat(head.headers().contains("transfer-encoding")).isFalse();
        LastHttpContent end = ch.readInbound();
        assertThat(end.content().toString(StandardCharsets.UTF_8)).isEqualTo("ok");
        end.release();
    }

    @Test
    void aHeadThatCannotBeARequestComesFailedSoTheExchangeAnswers400() {
        HttpRequest noPath = Http2StreamCodec.toRequest(new DefaultHttp2Headers().method("GET").authority("a"), true);
        assertThat(noPath.decoderResult().isFailure()).isTrue();
        Http2Headers unchecked = new DefaultHttp2Headers(false, false, 4).method("GET").path("/").add("x-evil", "a\r\nx-admin: 1");
        HttpRequest injected = Http2StreamCodec.toRequest(unchecked, true);
        assertThat(injected.decoderResult().isFailure()).as("a CR LF in a value, which HPACK carries").isTrue();
    }

    @Test
    void anAnswerGoesOutAsHeadersThenDataThatEndsTheStream() {
        var ch = new EmbeddedChannel(new Http2StreamCodec());
        var head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set("Content-Type", "text/plain").set("Connection", "keep-alive").set("Transfer-Encoding", "chunked")
                .set("Keep-Alive", "timeout=5").add("Set-Cookie", "a=1").add("Set-Cookie", "b=2");
        ch.writeOutbound(head, new DefaultHttpContent(text("hel")), new DefaultLastHttpContent(text("lo")));

        Http2HeadersFrame headers = ch.readOutbound();
        assertThat(headers.isEndStream()).isFalse();
        assertThat(headers.headers().status().toString()).isEqualTo("200");
        assertThat(headers.headers().get("content-type").toString()).as("names in lower case").isEqualTo("text/plain");
        assertThat(headers.headers().getAll("set-cookie")).hasSize(2);
        assertThat(headers.headers().contains("connection") || headers.headers().contains("transfer-encoding")
                || headers.headers().contains("keep-alive")).as("fields of one HTTP/1.1 connection").isFalse();
        Http2DataFrame first = ch.readOutbound(), last = ch.readOutbound();
        assertThat(first.isEndStream()).isFalse();
        assertThat(last.isEndStream()).isTrue();
        assertThat(last.content().toString(StandardCharsets.UTF_8)).isEqualTo("lo");
        first.release();
        last.release();
    }

    @Test
    void trailersEndTheStreamAsHeadersAndAnAnswerWithoutBodyIsOneFrame() {
        var ch = new EmbeddedChannel(new Http2StreamCodec());
        var end = new DefaultLastHttpContent(text("msg"));
        end.trailingHeaders().set("grpc-status", "0");
        ch.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK), end);
        assertThat(((Http2HeadersFrame) ch.readOutbound()).isEndStream()).isFalse();
        Http2DataFrame data = ch.readOutbound();
        assertThat(data.isEndStream()).isFalse();
        data.release();
        Http2HeadersFrame trailers = ch.readOutbound();
        assertThat(trailers.isEndStream()).isTrue();
        assertThat(trailers.headers().get("grpc-status").toString()).isEqualTo("0");

        ch.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT));
        Http2HeadersFrame only = ch.readOutbound();
        assertThat(only.isEndStream()).isTrue();
        assertThat((Object) ch.readOutbound()).isNull();
    }

    @Test
    void aContinueIsAHeadersFrameThatLeavesTheStreamOpen() {
        var ch = new EmbeddedChannel(new Http2StreamCodec());
        ch.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        Http2HeadersFrame continued = ch.readOutbound();
        assertThat(continued.headers().status().toString()).isEqualTo("100");
        assertThat(continued.isEndStream()).isFalse();
        assertThat((Object) ch.readOutbound()).isNull();
    }
}
