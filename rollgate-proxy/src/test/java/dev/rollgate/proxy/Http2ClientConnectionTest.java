package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
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
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client's HTTP/2 connection on embedded channels, a real HTTP/2 client on the other end: each
 * stream's frames as its exchange reads a request, its answer back as frames, its window held while
 * the exchange holds the body, and a reset that ends one stream and not the connection.
 */
class Http2ClientConnectionTest {

    /** A frame the client received: HEADERS (payload: the headers), DATA (the text) or RST_STREAM (the code). */
    private record Frame(String type, int stream, Object payload, boolean endStream) {}

    private final List<RecordingListener> streams = new ArrayList<>();
    private final List<Frame> received = new ArrayList<>();
    private final EmbeddedChannel server = new EmbeddedChannel();
    private final EmbeddedChannel client = new EmbeddedChannel();
    private final Http2ConnectionHandler h2client;
    private final ChannelHandlerContext clientCtx;

    Http2ClientConnectionTest() {
        Http2Pipeline.addTo(server.pipeline(), ProxyConfig.defaults(), () -> {
            var reader = new RecordingListener();
            streams.add(reader);
            return reader;
        });
        h2client = new Http2ConnectionHandlerBuilder().server(false).frameListener(new Http2FrameAdapter() {
            @Override
            public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding, boolean endOfStream) {
                received.add(new Frame("HEADERS", streamId, headers, endOfStream));
            }

            @Override
            public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int dependency, short weight,
                                      boolean exclusive, int padding, boolean endOfStream) {
                onHeadersRead(ctx, streamId, headers, padding, endOfStream);
            }

            @Override
            public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
                received.add(new Frame("DATA", streamId, data.toString(StandardCharsets.UTF_8), endOfStream));
                return data.readableBytes() + padding;
            }

            @Override
            public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
                received.add(new Frame("RST_STREAM", streamId, errorCode, false));
            }
        }).build();
        client.pipeline().addLast(h2client);
        clientCtx = client.pipeline().context(h2client);
        pump();
    }

    @AfterEach
    void close() {
        server.finishAndReleaseAll();
        client.finishAndReleaseAll();
    }

    /** Carries bytes both ways until neither side has more to say. */
    private void pump() {
        boolean moved;
        do {
            moved = false;
            server.runPendingTasks();
            client.runPendingTasks();
            for (ByteBuf b; (b = client.readOutbound()) != null; moved = true) server.writeInbound(b);
            for (ByteBuf b; (b = server.readOutbound()) != null; moved = true) client.writeInbound(b);
        } while (moved);
    }

    private void headers(int stream, Http2Headers headers, boolean endStream) {
        h2client.encoder().writeHeaders(clientCtx, stream, headers, 0, endStream, clientCtx.newPromise());
        h2client.flush(clientCtx);
        pump();
    }

    private void data(int stream, String text, boolean endStream) {
        h2client.encoder().writeData(clientCtx, stream, text(text), 0, endStream, clientCtx.newPromise());
        h2client.flush(clientCtx);
        pump();
    }

    private static Http2Headers request(String method, String path) {
        return new DefaultHttp2Headers().method(method).path(path).scheme("https").authority("shop.example");
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    private static String body(Object content) {
        HttpContent c = (HttpContent) content;
        String s = c.content().toString(StandardCharsets.UTF_8);
        c.release();
        return s;
    }

    @Test
    void aRequestInOneHeadersFrameIsItsHeadThenItsEnd() {
        headers(3, request("GET", "/orders?id=7").add("x-tenant", "a"), true);

        assertThat(streams).hasSize(1);
        List<Object> read = streams.getFirst().read;
        HttpRequest head = (HttpRequest) read.get(0);
        assertThat(head.method()).isEqualTo(HttpMethod.GET);
        assertThat(head.uri()).isEqualTo("/orders?id=7");
        assertThat(head.headers().get("host")).as(":authority").isEqualTo("shop.example");
        assertThat(head.headers().get("x-tenant")).isEqualTo("a");
        assertThat(head.headers().names()).as("no pseudo-header, no extension header").containsExactlyInAnyOrder("x-tenant", "host");
        assertThat(head.decoderResult().isSuccess()).isTrue();
        assertThat(read.get(1)).isInstanceOf(LastHttpContent.class);
        assertThat(read).hasSize(2);
        assertThat(streams.getFirst().readCompletes).as("the read's end, as a channel's").isEqualTo(1);
    }

    @Test
    void aBodyOfUnknownLengthIsChunkedAndItsTrailersEndIt() {
        headers(3, request("POST", "/upload").add("cookie", "a=1").add("cookie", "b=2"), false);
        data(3, "part", false);
        headers(3, new DefaultHttp2Headers().add("grpc-status", "0"), true);

        List<Object> read = streams.getFirst().read;
        HttpRequest head = (HttpRequest) read.get(0);
        assertThat(head.headers().get("transfer-encoding")).isEqualTo("chunked");
        assertThat(head.headers().getAll("cookie")).as("crumbs joined (RFC 9113, 8.2.3)").containsExactly("a=1; b=2");
        assertThat(read.get(1)).isNotInstanceOf(LastHttpContent.class);
        assertThat(body(read.get(1))).isEqualTo("part");
        LastHttpContent end = (LastHttpContent) read.get(2);
        assertThat(end.trailingHeaders().get("grpc-status")).isEqualTo("0");
    }

    @Test
    void aKnownLengthStaysAndTheLastDataFrameEndsTheBody() {
        headers(3, request("PUT", "/a").add("content-length", "2"), false);
        data(3, "ok", true);
        List<Object> read = streams.getFirst().read;
        assertThat(((HttpRequest) read.get(0)).headers().contains("transfer-encoding")).isFalse();
        assertThat(read.get(1)).isInstanceOf(LastHttpContent.class);
        assertThat(body(read.get(1))).isEqualTo("ok");
    }

    @Test
    void aHeadThatCannotBeARequestComesFailedSoTheExchangeAnswers400() {
        HttpRequest noPath = Http2Messages.toRequest(new DefaultHttp2Headers().method("GET").authority("a"), true);
        assertThat(noPath.decoderResult().isFailure()).isTrue();
        Http2Headers unchecked = new DefaultHttp2Headers(false, false, 4).method("GET").path("/").add("x-evil", "a\r\nx-admin: 1");
        HttpRequest injected = Http2Messages.toRequest(unchecked, true);
        assertThat(injected.decoderResult().isFailure()).as("a CR LF in a value, which HPACK carries").isTrue();
    }

    @Test
    void anAnswerGoesOutAsHeadersThenDataThatEndsTheStream() {
        headers(3, request("GET", "/"), true);
        Client stream = streams.getFirst().client;
        var head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set("Content-Type", "text/plain").set("Connection", "keep-alive").set("Transfer-Encoding", "chunked")
                .set("Keep-Alive", "timeout=5").add("Set-Cookie", "a=1").add("Set-Cookie", "b=2");
        stream.write(head);
        stream.write(new DefaultHttpContent(text("hel")));
        stream.write(new DefaultLastHttpContent(text("lo")));
        assertThat(received).as("nothing before the flush").isEmpty();
        stream.flush();
        pump();

        Http2Headers headers = (Http2Headers) received.get(0).payload();
        assertThat(received.get(0).endStream()).isFalse();
        assertThat(headers.status().toString()).isEqualTo("200");
        assertThat(headers.get("content-type").toString()).as("names in lower case").isEqualTo("text/plain");
        assertThat(headers.getAll("set-cookie")).hasSize(2);
        assertThat(headers.contains("connection") || headers.contains("transfer-encoding") || headers.contains("keep-alive"))
                .as("fields of one HTTP/1.1 connection").isFalse();
        List<Frame> data = received.subList(1, received.size());
        assertThat(data).as("pieces written before one flush may go as one frame").allMatch(f -> f.type().equals("DATA") && f.stream() == 3);
        assertThat(data.stream().map(f -> (String) f.payload()).reduce("", String::concat)).isEqualTo("hello");
        assertThat(data.getLast().endStream()).isTrue();
        assertThat(streams.getFirst().inactive).as("both ends done: the stream closed").isTrue();
    }

    @Test
    void trailersEndTheStreamAsHeadersAndAnAnswerWithoutBodyIsOneFrame() {
        headers(3, request("POST", "/rpc"), true);
        Client stream = streams.getFirst().client;
        var end = new DefaultLastHttpContent(text("msg"));
        end.trailingHeaders().set("grpc-status", "0");
        stream.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        stream.write(end);
        stream.flush();
        pump();
        assertThat(received).extracting(Frame::type, Frame::endStream)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("HEADERS", false), org.assertj.core.groups.Tuple.tuple("DATA", false),
                        org.assertj.core.groups.Tuple.tuple("HEADERS", true));
        assertThat(((Http2Headers) received.get(2).payload()).get("grpc-status").toString()).isEqualTo("0");

        received.clear();
        headers(5, request("DELETE", "/a"), true);
        streams.get(1).client.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT));
        pump();
        assertThat(received).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo("HEADERS");
            assertThat(f.endStream()).isTrue();
        });
    }

    @Test
    void aContinueIsAHeadersFrameThatLeavesTheStreamOpen() {
        headers(3, request("PUT", "/a").add("expect", "100-continue"), false);
        streams.getFirst().client.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        pump();
        assertThat(received).singleElement().satisfies(f -> {
            assertThat(((Http2Headers) f.payload()).status().toString()).isEqualTo("100");
            assertThat(f.endStream()).isFalse();
        });
        assertThat(streams.getFirst().inactive).isFalse();
    }

    @Test
    void aBodyTheExchangeHoldsWaitsWithItsWindowUntilTheExchangeReadsOn() {
        headers(3, request("POST", "/upload"), false);
        RecordingListener reader = streams.getFirst();
        reader.client.reading(false); // a replica that takes the body slowly
        data(3, "first", false);
        data(3, "second", true);
        assertThat(reader.read).as("only the head").hasSize(1);
        Http2ClientConnection connection = server.pipeline().get(Http2ClientConnection.class);
        Http2Stream stream = connection.connection().stream(3);
        assertThat(connection.decoder().flowController().unconsumedBytes(stream)).as("the window not given back").isEqualTo(11);

        reader.client.reading(true);
        assertThat(reader.read).hasSize(3);
        assertThat(body(reader.read.get(1))).isEqualTo("first");
        assertThat(reader.read.get(2)).isInstanceOf(LastHttpContent.class);
        assertThat(body(reader.read.get(2))).isEqualTo("second");
        assertThat(connection.decoder().flowController().unconsumedBytes(stream)).isZero();
    }

    @Test
    void aResetEndsItsStreamAloneWhicheverSideSendsIt() {
        headers(3, request("POST", "/a"), false);
        headers(5, request("POST", "/b"), false);
        h2client.resetStream(clientCtx, 3, Http2Error.CANCEL.code(), clientCtx.newPromise());
        h2client.flush(clientCtx);
        pump();
        assertThat(streams.get(0).inactive).as("the stream the client reset").isTrue();
        assertThat(streams.get(1).inactive).isFalse();
        assertThat(streams.get(0).client.isActive()).isFalse();

        streams.get(1).client.close(); // the exchange gives up on the other: the client hears RST_STREAM, the connection stays
        pump();
        assertThat(received).containsExactly(new Frame("RST_STREAM", 5, Http2Error.CANCEL.code(), false));
        assertThat(streams.get(1).inactive).isTrue();
        assertThat(server.isActive()).isTrue();
        headers(7, request("GET", "/c"), true);
        assertThat(streams).as("the connection takes new streams").hasSize(3);
    }
}
