package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rollgate.proxy.frontdoor.Certificates;
import dev.rollgate.proxy.frontdoor.FrontDoorRoutes;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The front door on real sockets: two services by host and path, TLS by SNI (the JDK's client and
 * curl), a certificate replaced on disk, HTTP/2 streams through a table swap, 413, maintenance,
 * X-Forwarded-For trust, and the access log.
 */
class FrontDoorTest {

    @TempDir
    Path dir;

    private TestUpstream shopA, shopB, api;
    private ProxyServer shop, apiServer;
    private FrontDoor door;
    private int http, https;

    @BeforeEach
    void start() throws Exception {
        shopA = new TestUpstream("shop-a");
        shopB = new TestUpstream("shop-b");
        api = new TestUpstream("api");
        shop = new ProxyServer(ProxyConfig.defaults(), 1);
        apiServer = new ProxyServer(ProxyConfig.defaults(), 1);
        shop.router().update(RoutingTable.single("v1", List.of(shopA.endpoint("v1"))));
        apiServer.router().update(RoutingTable.single("v1", List.of(api.endpoint("v1"))));
        door = new FrontDoor(name -> switch (name) {
            case "shop" -> shop;
            case "api" -> apiServer;
            default -> null;
        }, ProxyConfig.defaults(), Transport.preferred(), m -> {});
        door.routes(new FrontDoorRoutes(List.of(
                new FrontDoorRoutes.Route("shop", List.of("shop.test", "localhost"), "/", false, false, 0),
                new FrontDoorRoutes.Route("api", List.of("shop.test", "localhost"), "/api", true, false, 0),
                new FrontDoorRoutes.Route("api", List.of("api.test"), "/", false, true, 600))));
        door.certificates(Map.of("shop.test", pem("shop.test", "shop-1"), "api.test", pem("api.test", "api-1"),
                "localhost", pem("localhost", "localhost-1")));
        door.settings(new FrontDoor.Settings(List.of(), dir.resolve("access.log"), 1 << 20, 3));
        http = door.listenHttp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).getPort();
        https = door.listenTls(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).getPort();
    }

    @AfterEach
    void stop() {
        door.close();
        shop.close();
        apiServer.close();
        shopA.close();
        shopB.close();
        api.close();
    }

    /** A self-signed certificate for {@code host} whose subject is {@code cn}, made by openssl. */
    private Certificates.Pem pem(String host, String cn) throws Exception {
        Path cert = dir.resolve(host + ".crt"), key = dir.resolve(host + ".key");
        writePem(host, cn, cert, key);
        return new Certificates.Pem(cert, key);
    }

    static void writePem(String host, String cn, Path cert, Path key) throws Exception {
        Path c = Files.createTempFile(cert.getParent(), "c", ".pem"), k = Files.createTempFile(cert.getParent(), "k", ".pem");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", k.toString(), "-out", c.toString(), "-days", "2", "-subj", "/CN=" + cn, "-addext", "subjectAltName=DNS:" + host)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).as("openssl made a certificate").isTrue();
        // Moved into place whole, as a renewal tool does: a reader never sees half a file.
        Files.move(k, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.move(c, cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void requestsGoToTheServiceTheirHostAndPathNameAndAnUnknownHostGets404WithNoDetail() throws Exception {
        assertThat(RawHttp.exchange(http, "GET / HTTP/1.1\r\nHost: shop.test\r\nConnection: close\r\n\r\n")).endsWith("shop-a");
        String stripped = RawHttp.exchange(http, "GET /api/headers HTTP/1.1\r\nHost: shop.test:80\r\nConnection: close\r\n\r\n");
        assertThat(body(stripped)).as("the api service saw /headers: its prefix was stripped").contains("x-forwarded-proto: http");
        assertThat(RawHttp.exchange(http, "GET / HTTP/1.1\r\nHost: nobody.test\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 404 Not Found").endsWith("\r\n\r\nnot found\n");
        String redirect = RawHttp.exchange(http, "GET /x?y=1 HTTP/1.1\r\nHost: api.test\r\nConnection: close\r\n\r\n");
        assertThat(redirect).startsWith("HTTP/1.1 308 Permanent Redirect").contains("location: https://api.test:" + https + "/x?y=1");
    }

    @Test
    void sniPicksTheCertificateForTheJdkClientAndForCurl() throws Exception {
        assertThat(subjectOf("shop.test")).isEqualTo("CN=shop-1");
        assertThat(subjectOf("api.test")).isEqualTo("CN=api-1");
        Process curl = new ProcessBuilder("curl", "-sv", "--max-time", "20", "--cacert", dir.resolve("api.test.crt").toString(), "--resolve",
                "api.test:" + https + ":127.0.0.1", "-D", "-", "https://api.test:" + https + "/").redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as("curl verified api.test's certificate by name").contains("strict-transport-security: max-age=600").endsWith("api");
    }

    @Test
    void aRequestForAnotherHostThanTheConnectionsServerNameIsMisdirected() throws Exception {
        try (SSLSocket s = tls("shop.test")) {
            assertThat(roundTrip(s, "shop.test")).startsWith("HTTP/1.1 200 OK");
            String other = roundTrip(s, "api.test");
            assertThat(other).startsWith("HTTP/1.1 421 Misdirected Request").endsWith("this connection is for shop.test, not api.test\n");
        }
        assertThat(api.hits.get()).as("the request never reached api.test's service").isZero();
    }

    @Test
    void aCertificateReplacedOnDiskIsServedWithinSecondsAndAnOpenConnectionGoesOn() throws Exception {
        try (SSLSocket open = tls("shop.test")) {
            assertThat(roundTrip(open, "shop.test")).endsWith("shop-a");
            writePem("shop.test", "shop-2", dir.resolve("shop.test.crt"), dir.resolve("shop.test.key"));
            await().atMost(Duration.ofSeconds(10)).until(() -> subjectOf("shop.test").equals("CN=shop-2"));
            assertThat(roundTrip(open, "shop.test")).as("the connection opened before still works").endsWith("shop-a");
        }
    }

    @Test
    void http2StreamsOnOneConnectionThroughARoutingChangeAllSucceed() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(trusting(dir.resolve("localhost.crt"))).build();
        URI uri = URI.create("https://localhost:" + https + "/");
        // One request first: the JDK's client opens its HTTP/2 connection once, and every later stream goes on it.
        assertThat(client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).version())
                .isEqualTo(HttpClient.Version.HTTP_2);
        List<String> bodies = new ArrayList<>();
        for (int wave = 0; wave < 4; wave++) {
            if (wave == 2) {
                // A rolling update as the proxy sees it: the new replica joins, the old one is drained out.
                shop.router().update(new RoutingTable(Map.of("v1", List.of(shopA.endpoint("v1")), "v2", List.of(shopB.endpoint("v2"))),
                        Map.of("v1", 1, "v2", 1), null, "v1", List.of(), null));
                shop.router().drain(shopA.name, Duration.ofSeconds(5));
            }
            List<CompletableFuture<HttpResponse<String>>> streams = new ArrayList<>();
            for (int i = 0; i < 100; i++) streams.add(client.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
            for (var f : streams) {
                HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
                bodies.add(r.body());
            }
        }
        assertThat(door.connections()).as("400 streams on one connection").isEqualTo(1);
        assertThat(bodies).contains("shop-a", "shop-b");
        Process curl = new ProcessBuilder("curl", "-s", "--max-time", "20", "--http2", "--cacert", dir.resolve("shop.test.crt").toString(), "--resolve",
                "shop.test:" + https + ":127.0.0.1", "-o", "/dev/null", "-w", "%{http_version} %{http_code}", "https://shop.test:" + https + "/")
                .redirectErrorStream(true).start();
        assertThat(new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("2 200");
    }

    @Test
    void http2UploadsLargerThanTheirStreamsWindowReachTheReplicaWhole() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(trusting(dir.resolve("localhost.crt"))).build();
        URI uri = URI.create("https://localhost:" + https + "/echo");
        // Each body is 16 windows of 64 KB: it gets through only if the proxy gives each stream's window back as it reads on.
        List<String> sent = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> streams = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String body = String.valueOf((char) ('a' + i)).repeat(1024 * 1024 - 1) + i;
            sent.add(body);
            streams.add(client.sendAsync(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < streams.size(); i++) {
            HttpResponse<String> r = streams.get(i).get(30, TimeUnit.SECONDS);
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).as("upload " + i + ", echoed").isEqualTo(sent.get(i));
        }
    }

    @Test
    void thePlainListenerTakesHttp2WithPriorKnowledgeAndRoutesItByItsAuthority() throws Exception {
        for (String path : List.of("/", "/api/orders")) {
            Process curl = new ProcessBuilder("curl", "-s", "--max-time", "20", "--http2-prior-knowledge", "-w", " %{http_version} %{http_code}",
                    "http://localhost:" + http + path).redirectErrorStream(true).start();
            assertThat(new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo(path.equals("/") ? "shop-a 2 200" : "api 2 200");
        }
    }

    @Test
    void aBodyOverTheLimitIs413AndMaintenancePausesThenStops() throws Exception {
        shop.limits(new ServiceLimits(16, false, Map.of(503, "<h1>Back soon</h1>")));
        String big = "x".repeat(100);
        assertThat(RawHttp.exchange(http, "POST /echo HTTP/1.1\r\nHost: shop.test\r\nContent-Length: 100\r\n\r\n" + big))
                .startsWith("HTTP/1.1 413 Request Entity Too Large");
        assertThat(RawHttp.exchange(http, "POST /echo HTTP/1.1\r\nHost: shop.test\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "64\r\n" + big + "\r\n0\r\n\r\n")).startsWith("HTTP/1.1 413 Request Entity Too Large");
        assertThat(shopA.bodies).as("no oversized body reached the replica").noneMatch(b -> b.length() > 16);

        // bufferRequests: a client that sends its body slowly holds no replica; the replica sees the request once it is whole.
        shop.limits(new ServiceLimits(0, true, Map.of()));
        try (java.net.Socket slow = new java.net.Socket("127.0.0.1", http)) {
            OutputStream out = slow.getOutputStream();
            out.write("POST /echo HTTP/1.1\r\nHost: shop.test\r\nContent-Length: 10\r\nConnection: close\r\n\r\nhello".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            int before = shopA.hits.get();
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> shopA.hits.get() == before);
            out.write("world".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            slow.setSoTimeout(10_000);
            assertThat(new String(slow.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200").endsWith("helloworld");
        }
        shop.limits(new ServiceLimits(0, false, Map.of(503, "<h1>Back soon</h1>")));

        shop.traffic(TrafficMode.pause(10, 30));
        CompletableFuture<String> held = CompletableFuture.supplyAsync(() -> {
            try {
                return RawHttp.exchange(http, "GET / HTTP/1.1\r\nHost: shop.test\r\nConnection: close\r\n\r\n");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> shop.held() == 1);
        assertThat(held).isNotDone();
        shop.traffic(TrafficMode.SERVE);
        assertThat(held.get(10, TimeUnit.SECONDS)).startsWith("HTTP/1.1 200 OK").endsWith("shop-a");

        shop.traffic(TrafficMode.stop("upgrading the database", 120));
        String stopped = RawHttp.exchange(http, "GET / HTTP/1.1\r\nHost: shop.test\r\nConnection: close\r\n\r\n");
        assertThat(stopped).startsWith("HTTP/1.1 503 Service Unavailable").contains("retry-after: 120").endsWith("<h1>Back soon</h1>");
    }

    @Test
    void aPathPrefixConfinesDotSegmentsAndTheUpstreamSeesTheNormalisedPath() throws Exception {
        door.routes(new FrontDoorRoutes(List.of(new FrontDoorRoutes.Route("shop", List.of("public.test"), "/public", false, false, 0),
                new FrontDoorRoutes.Route("shop", List.of("shop.test"), "/", false, false, 0),
                new FrontDoorRoutes.Route("api", List.of("shop.test"), "/api", true, false, 0))));
        // With only /public routed for the host, nothing outside it is reached, however it is spelt.
        for (String probe : List.of("/public/../internal/secret", "/public/%2e%2e/internal/secret", "/public/.%2E/internal/secret")) {
            assertThat(RawHttp.exchange(http, "GET " + probe + " HTTP/1.1\r\nHost: public.test\r\nConnection: close\r\n\r\n"))
                    .as(probe).startsWith("HTTP/1.1 404 Not Found");
        }
        for (String probe : List.of("/public/..%2finternal/secret", "/public/..%5Cinternal", "http://u:p@public.test/public/x")) {
            assertThat(RawHttp.exchange(http, "GET " + probe + " HTTP/1.1\r\nHost: public.test\r\nConnection: close\r\n\r\n"))
                    .as(probe).startsWith("HTTP/1.1 400 Bad Request");
        }
        assertThat(shopA.targets).as("no probe reached the upstream").isEmpty();
        assertThat(RawHttp.exchange(http, "GET /public/a/../b?x=../y HTTP/1.1\r\nHost: public.test\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200 OK");
        // A stripped prefix cannot be climbed out of: /api/../x is /x, the shop's; /api/./x is the api's /x.
        RawHttp.exchange(http, "GET /api/../x HTTP/1.1\r\nHost: shop.test\r\nConnection: close\r\n\r\n");
        RawHttp.exchange(http, "GET /api/./y HTTP/1.1\r\nHost: shop.test\r\nConnection: close\r\n\r\n");
        // An absolute-form target is routed by its path (and its host, which must be the Host header's), sent on in origin-form.
        RawHttp.exchange(http, "GET http://shop.test/api/z?q=1 HTTP/1.1\r\nHost: shop.test\r\nConnection: close\r\n\r\n");
        assertThat(shopA.targets).containsExactly("/public/b?x=../y", "/x");
        assertThat(api.targets).containsExactly("/y", "/z?q=1");
    }

    @Test
    void xForwardedForIsTrustedOnlyFromConfiguredProxiesAndTheAccessLogCountsWhatTheClientSaw() throws Exception {
        String spoof = "GET /headers HTTP/1.1\r\nHost: shop.test\r\nX-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Proto: https\r\n"
                + "Forwarded: for=6.6.6.6\r\nX-Real-IP: 6.6.6.6\r\nX-Forwarded-Prefix: /admin\r\nX-Request-Id: chosen-by-client\r\nConnection: close\r\n\r\n";
        assertThat(body(RawHttp.exchange(http, spoof))).contains("x-forwarded-for: 127.0.0.1\n").contains("x-forwarded-proto: http\n")
                .doesNotContain("6.6.6.6", "forwarded:", "x-real-ip", "x-forwarded-prefix", "chosen-by-client").containsPattern("x-request-id: [0-9a-f]{32}\n");
        door.settings(new FrontDoor.Settings(List.of("127.0.0.0/8"), dir.resolve("access.log"), 1 << 20, 3));
        assertThat(body(RawHttp.exchange(http, spoof))).contains("x-forwarded-for: 6.6.6.6, 127.0.0.1\n").contains("x-forwarded-proto: https\n")
                .contains("forwarded: for=6.6.6.6\n", "x-real-ip: 6.6.6.6\n", "x-forwarded-prefix: /admin\n", "x-request-id: chosen-by-client\n");
        RawHttp.exchange(http, "GET / HTTP/1.1\r\nHost: nobody.test\r\nConnection: close\r\n\r\n");
        // Refused before routing, and logged all the same: a broken head (400) and a request line over the limit (414).
        assertThat(RawHttp.exchange(http, "GET / HTTP/1.1\r\nHost: shop.test\r\nNo colon here\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(RawHttp.exchange(http, "GET /" + "x".repeat(9000) + " HTTP/1.1\r\nHost: shop.test\r\n\r\n")).startsWith("HTTP/1.1 414");

        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(dir.resolve("access.log"))
                && Files.readAllLines(dir.resolve("access.log")).size() == 5);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("access.log"))))
                .as("the log holds client addresses: owner and group only").isEqualTo("rw-r-----");
        List<com.fasterxml.jackson.databind.JsonNode> lines = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("access.log"))) lines.add(json.readTree(l));
        assertThat(lines).extracting(n -> n.path("status").asInt()).containsExactly(200, 200, 404, 400, 414);
        assertThat(lines.get(0).path("host").asText()).isEqualTo("shop.test");
        assertThat(lines.get(0).path("path").asText()).isEqualTo("/headers");
        assertThat(lines.get(0).path("replica").asText()).isEqualTo("shop-a");
        assertThat(lines.get(0).path("revision").asText()).isEqualTo("v1");
        assertThat(lines.get(0).path("bytes").asLong()).isPositive();
        assertThat(lines.get(0).path("requestId").asText()).hasSize(32);
        assertThat(lines.get(2).path("replica").isNull()).isTrue();
    }

    // ---- TLS clients ----------------------------------------------------------------------------

    /** The subject of the certificate the front door presents to a client that asks for {@code host} by SNI. */
    private String subjectOf(String host) throws Exception {
        try (SSLSocket s = tls(host)) {
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    private SSLSocket tls(String host) throws Exception {
        return tls(https, host);
    }

    /** A TLS connection to {@code host} on {@code port} that trusts any certificate, offering {@code alpn} when given. */
    static SSLSocket tls(int port, String host, String... alpn) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String auth) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String auth) {} // the test reads which certificate came

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName(host)));
        if (alpn.length > 0) p.setApplicationProtocols(alpn);
        s.setSSLParameters(p);
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }

    private static String roundTrip(SSLSocket s, String host) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) head.append((char) in.read());
        int length = Integer.parseInt(head.toString().toLowerCase().split("content-length: ")[1].split("\r\n")[0].trim());
        return head + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    private static SSLContext trusting(Path certificate) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry("c", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certificate))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
