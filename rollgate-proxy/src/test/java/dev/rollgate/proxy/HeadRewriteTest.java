package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The edits a head gets on its way through, each way. */
class HeadRewriteTest {

    private static final HeadRewrite.ToUpstream CLIENT = new HeadRewrite.ToUpstream(new AsciiString("203.0.113.9"), false, true, ForwardedHeaders.REQUEST_ID);

    @Test
    void theReplicaSeesHttp11WithoutTheClientsHopByHopHeadersAndWithTheForwardedOnes() {
        var r = new DefaultHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/a");
        r.headers().set("host", "shop.example").set("connection", "keep-alive, x-trace").set("x-trace", "1").set("keep-alive", "timeout=5")
                .set("x-forwarded-for", "6.6.6.6");
        HeadRewrite.toUpstream(r, false, false, false, CLIENT);
        assertThat(r.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(r.headers().names()).doesNotContain("connection", "x-trace", "keep-alive");
        assertThat(r.headers().get("x-forwarded-for")).as("an untrusted peer's is replaced").isEqualTo("203.0.113.9");
        assertThat(r.headers().get("x-forwarded-proto")).isEqualTo("https");
        assertThat(r.headers().get("x-forwarded-host")).isEqualTo("shop.example");
        assertThat(r.headers().get("x-request-id")).hasSize(32);
    }

    @Test
    void anUpgradeKeepsItsConnectionAndUpgradeAndABodyWithoutALengthIsChunked() {
        var ws = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ws");
        ws.headers().set("connection", "Upgrade").set("upgrade", "websocket");
        HeadRewrite.toUpstream(ws, true, false, false, CLIENT);
        assertThat(ws.headers().get("connection")).isEqualTo("upgrade");
        assertThat(ws.headers().get("upgrade")).isEqualTo("websocket");

        var post = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/p");
        post.headers().set("transfer-encoding", "gzip, chunked");
        HeadRewrite.toUpstream(post, false, true, false, CLIENT);
        assertThat(post.headers().get("transfer-encoding")).isEqualTo("chunked");
    }

    @Test
    void teTrailersReachesAnH2cReplicaAndNoOtherTe() {
        var grpc = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/rollgate.test.Echo/Say");
        grpc.headers().set("te", "trailers").set("content-type", "application/grpc");
        HeadRewrite.toUpstream(grpc, false, true, true, CLIENT);
        assertThat(grpc.headers().get("te")).isEqualTo("trailers");

        var h1 = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/x");
        h1.headers().set("te", "trailers");
        HeadRewrite.toUpstream(h1, false, true, false, CLIENT);
        assertThat(h1.headers().contains("te")).as("hop-by-hop on HTTP/1.1").isFalse();

        var gzip = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/x");
        gzip.headers().set("te", "gzip");
        HeadRewrite.toUpstream(gzip, false, false, true, CLIENT);
        assertThat(gzip.headers().contains("te")).isFalse();
    }

    @ParameterizedTest(name = "{0} to a HEAD={1} keep-alive={2} http10={3}: connection {4}, chunked {5}")
    @CsvSource({
            "200, false, true,  false, ,           true",
            "200, true,  true,  false, ,           false",
            "204, false, true,  false, ,           false",
            "304, false, true,  false, ,           false",
            "200, false, false, false, close,      true",
            "200, false, true,  true,  keep-alive, true",
    })
    void theClientGetsItsOwnConnectionHandlingAndChunkingOnlyWhereABodyFollows(int status, boolean head, boolean keepAlive, boolean http10,
                                                                               String connection, boolean chunked) {
        var r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        r.headers().set("connection", "close").set("transfer-encoding", "chunked");
        boolean reusable = HeadRewrite.toClient(r, new HeadRewrite.ToClient(head, keepAlive, http10, null, 0));
        assertThat(reusable).as("the replica said close").isFalse();
        assertThat(r.headers().get("connection")).isEqualTo(connection);
        assertThat(r.headers().contains("transfer-encoding")).isEqualTo(chunked);
    }

    @Test
    void aStickyRevisionSetsItsCookieAndHstsIsAddedWhenAsked() {
        var r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        r.headers().set("content-length", "2").set("set-cookie", "session=1");
        assertThat(HeadRewrite.toClient(r, new HeadRewrite.ToClient(false, true, false, "rollgate-rev=v2", 31536000))).isTrue();
        assertThat(r.headers().getAll("set-cookie")).containsExactly("session=1", "rollgate-rev=v2; Path=/; HttpOnly");
        assertThat(r.headers().get("strict-transport-security")).isEqualTo("max-age=31536000");
        assertThat(r.headers().contains("transfer-encoding")).isFalse();
    }
}
