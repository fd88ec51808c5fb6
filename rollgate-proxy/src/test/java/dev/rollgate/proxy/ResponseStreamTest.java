package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
    private final RecordingListener reader = new RecordingListener();
    private final EmbeddedChannel client = new EmbeddedChannel(encoder, new Http1Client(reader));
    private final ResponseStream stream = new ResponseStream(reader.client, encoder, null, false);

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
        boolean reusable = stream.head(response(), new HeadRewrite.ToClient(false, true, false, null, 0), null, null);
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

    private static final Compression GZIP = new Compression(java.util.List.of("gzip"), 16, java.util.List.of("text/*"));

    private static DefaultHttpResponse text(String length) {
        var r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        r.headers().set("content-type", "text/plain").set("etag", "\"v1\"");
        if (length != null) r.headers().set("content-length", length);
        return r;
    }

    @Test
    void aCompressedResponseGoesOutChunkedWithItsEncodingAndAWeakEtagAndDecodesToTheReplicasBody() throws Exception {
        String body = "the same line again and again\n".repeat(40);
        stream.head(text(Integer.toString(body.length())), new HeadRewrite.ToClient(false, true, false, null, 0), GZIP, "gzip, br");
        int half = body.length() / 2;
        assertThat(stream.content(new DefaultHttpContent(Unpooled.copiedBuffer(body.substring(0, half), StandardCharsets.UTF_8)))).isFalse();
        stream.flush();
        assertThat(stream.content(new DefaultLastHttpContent(Unpooled.copiedBuffer(body.substring(half), StandardCharsets.UTF_8)))).isTrue();

        var wire = new java.io.ByteArrayOutputStream();
        ByteBuf b;
        while ((b = client.readOutbound()) != null) {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            wire.write(bytes);
            b.release();
        }
        var decoder = new EmbeddedChannel(new io.netty.handler.codec.http.HttpResponseDecoder(),
                new io.netty.handler.codec.http.HttpContentDecompressor());
        decoder.writeInbound(Unpooled.wrappedBuffer(wire.toByteArray()));
        io.netty.handler.codec.http.HttpResponse head = decoder.readInbound();
        assertThat(wire.toString(StandardCharsets.ISO_8859_1)).contains("content-encoding: gzip", "vary: Accept-Encoding",
                "transfer-encoding: chunked", "etag: W/\"v1\"").doesNotContain("content-length");
        StringBuilder decoded = new StringBuilder();
        Object m;
        while ((m = decoder.readInbound()) != null) {
            decoded.append(((io.netty.handler.codec.http.HttpContent) m).content().toString(StandardCharsets.UTF_8));
            ((io.netty.handler.codec.http.HttpContent) m).release();
        }
        assertThat(head.status().code()).isEqualTo(200);
        assertThat(decoded.toString()).isEqualTo(body);
        assertThat(stream.bytes()).as("counted as sent, compressed").isLessThan(body.length());
    }

    @Test
    void anEligibleResponseToAClientThatTakesNoEncodingGoesAsItIsWithVary() {
        stream.head(text("5"), new HeadRewrite.ToClient(false, true, false, null, 0), new Compression(java.util.List.of("gzip"), 0,
                java.util.List.of("text/*")), "identity");
        stream.content(new DefaultLastHttpContent(Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8)));
        assertThat(flushed()).contains("vary: Accept-Encoding", "content-length: 5", "etag: \"v1\"").doesNotContain("content-encoding")
                .endsWith("\r\n\r\nhello");
    }

    @Test
    void aHeadRequestsAnswerIsEncodedWithoutItsBody() {
        var r = response();
        stream.head(r, new HeadRewrite.ToClient(true, true, false, null, 0), null, null);
        assertThat(encoder.head).isTrue();
        stream.content(new DefaultLastHttpContent());
        assertThat(flushed()).contains("content-length: 5").endsWith("\r\n\r\n");
    }
}
