package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Compression over real sockets: on for a service that asks, only for clients that accept it, and off by default. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResponseCompressionTest {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private TestUpstream upstream;
    private ProxyServer proxy;
    private int port;

    @AfterEach
    void close() {
        proxy.close();
        upstream.close();
    }

    private void start(Compression compression) throws Exception {
        upstream = new TestUpstream("a");
        proxy = new ProxyServer(ProxyConfig.defaults(), 1);
        proxy.limits(new ServiceLimits(0, false, Map.of(), OutlierDetection.DEFAULT, compression, UpstreamProtocol.HTTP1));
        proxy.router().update(RoutingTable.single("v1", List.of(upstream.endpoint("v1"))));
        port = proxy.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), false).getPort();
    }

    private HttpResponse<byte[]> get(String path, String acceptEncoding) throws Exception {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (acceptEncoding != null) b.header("Accept-Encoding", acceptEncoding);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aServiceThatAsksGetsItsTextGzippedForAClientThatAcceptsIt() throws Exception {
        start(new Compression(List.of("gzip"), 1024, List.of("text/*")));
        String expected = ("a line of plain text from a\n").repeat(500);

        var gz = get("/text?n=500", "gzip");
        assertThat(gz.headers().firstValue("content-encoding")).hasValue("gzip");
        assertThat(gz.headers().firstValue("vary")).hasValue("Accept-Encoding");
        assertThat(gz.body().length).isLessThan(expected.length() / 10);
        try (var in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(expected);
        }

        var plain = get("/text?n=500", null);
        assertThat(plain.headers().firstValue("content-encoding")).isEmpty();
        assertThat(new String(plain.body(), StandardCharsets.UTF_8)).isEqualTo(expected);

        var small = get("/text?n=2", "gzip");
        assertThat(small.headers().firstValue("content-encoding")).as("shorter than the minimum").isEmpty();
    }

    @Test
    void offByDefault() throws Exception {
        start(Compression.OFF);
        var r = get("/text?n=500", "gzip, br, zstd");
        assertThat(r.headers().firstValue("content-encoding")).isEmpty();
        assertThat(r.headers().firstValue("vary")).isEmpty();
        assertThat(r.body().length).isEqualTo(("a line of plain text from a\n").repeat(500).length());
    }
}
