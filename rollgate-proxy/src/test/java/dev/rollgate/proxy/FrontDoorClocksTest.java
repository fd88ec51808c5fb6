package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rollgate.proxy.frontdoor.Certificates;
import dev.rollgate.proxy.frontdoor.FrontDoorRoutes;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every listener and protocol of the front door keeps the clocks plain HTTP/1.1 keeps: an idle TLS
 * connection, an HTTP/2 connection with its preface only, and half a request head over TLS are all
 * closed, and one client address cannot take the whole connection limit.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FrontDoorClocksTest {

    /** A first-request and header clock of one second; the idle clock is longer, to show which one acts. */
    private static final ProxyConfig CLOCKS = ProxyConfig.defaults()
            .withLimits(8192, 16384, Duration.ofSeconds(1), Duration.ofSeconds(30), 8)
            .withTimeouts(new ProxyConfig.Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(60)));
    private static final byte[] H2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY_SETTINGS = {0, 0, 0, 4, 0, 0, 0, 0, 0};

    @TempDir
    Path dir;

    private TestUpstream upstream;
    private ProxyServer shop;
    private FrontDoor door;
    private int http, https;
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        upstream = new TestUpstream("shop-a");
        // The service's send timeout (its spec.service.sendTimeout) is what a client that reads nothing gets: two seconds here.
        shop = new ProxyServer(ProxyConfig.defaults().withTimeouts(new ProxyConfig.Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(2),
                Duration.ofSeconds(60))), 1);
        shop.router().update(RoutingTable.single("v1", List.of(upstream.endpoint("v1"))));
        door = new FrontDoor(name -> name.equals("shop") ? shop : null, CLOCKS, Transport.preferred(), m -> {});
        door.routes(new FrontDoorRoutes(List.of(new FrontDoorRoutes.Route("shop", List.of(), "/", false, false, 0))));
        Path cert = dir.resolve("shop.crt"), key = dir.resolve("shop.key");
        FrontDoorTest.writePem("shop.test", "shop", cert, key);
        door.certificates(Map.of("shop.test", new Certificates.Pem(cert, key)));
        http = door.listenHttp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).getPort();
        https = door.listenTls(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).getPort();
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) s.close();
        door.close();
        shop.close();
        upstream.close();
    }

    /** Reads until the server closes; what it sent (a GOAWAY, a 408) comes back as text. */
    private static String readUntilClosed(Socket s) throws IOException {
        s.setSoTimeout(20_000);
        InputStream in = s.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void anIdleTlsConnectionIsClosedAfterTheFirstRequestTimeout() throws Exception {
        SSLSocket s = FrontDoorTest.tls(https, "shop.test", "http/1.1");
        sockets.add(s);
        assertThat(s.getApplicationProtocol()).isEqualTo("http/1.1");
        assertThat(readUntilClosed(s)).as("closed with nothing said").isEmpty();
    }

    @Test
    void halfARequestHeadOverTlsGets408() throws Exception {
        SSLSocket s = FrontDoorTest.tls(https, "shop.test", "http/1.1");
        sockets.add(s);
        s.getOutputStream().write("GET / HTTP/1.1\r\nHost: sh".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        assertThat(readUntilClosed(s)).startsWith("HTTP/1.1 408 Request Timeout");
    }

    @Test
    void anHttp2ConnectionWithItsPrefaceOnlyIsClosedWithGoAway() throws Exception {
        SSLSocket s = FrontDoorTest.tls(https, "shop.test", "h2");
        sockets.add(s);
        assertThat(s.getApplicationProtocol()).isEqualTo("h2");
        s.getOutputStream().write(H2_PREFACE);
        s.getOutputStream().write(EMPTY_SETTINGS);
        s.getOutputStream().flush();
        byte[] frames = readUntilClosed(s).getBytes(StandardCharsets.ISO_8859_1);
        assertThat(frameTypes(frames)).as("the server's frames: SETTINGS, its ACK of ours, then GOAWAY").contains(7).last().isEqualTo(7);
    }

    @Test
    void oneClientAddressGetsAQuarterOfTheConnectionLimitAndOthersAreStillServed() throws Exception {
        // The limit is 8: a quarter of it is 2 connections from one address. Two requests held by the upstream keep theirs busy.
        for (int i = 0; i < 2; i++) {
            Socket busy = new Socket(InetAddress.getLoopbackAddress(), http);
            sockets.add(busy);
            busy.getOutputStream().write("GET /hold HTTP/1.1\r\nHost: shop.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> upstream.hits.get() == 2);
        Socket third = new Socket(InetAddress.getLoopbackAddress(), http);
        sockets.add(third);
        third.getOutputStream().write("GET / HTTP/1.1\r\nHost: shop.test\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(unanswered(third)).as("the third from 127.0.0.1 is closed unanswered").isTrue();
        try (Socket other = new Socket()) {
            other.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            other.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), http));
            other.getOutputStream().write("GET / HTTP/1.1\r\nHost: shop.test\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readUntilClosed(other)).startsWith("HTTP/1.1 200 OK").endsWith("shop-a");
        }
        upstream.release.countDown();
        assertThat(upstream.hits.get()).as("the refused request never reached the upstream").isEqualTo(3);
    }

    @Test
    void anHttp2StreamWhoseClientGrantsNoWindowIsResetAfterTheSendTimeout() throws Exception {
        SSLSocket s = FrontDoorTest.tls(https, "shop.test", "h2");
        sockets.add(s);
        var out = s.getOutputStream();
        out.write(H2_PREFACE);
        out.write(new byte[] {0, 0, 6, 4, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0}); // SETTINGS_INITIAL_WINDOW_SIZE = 0, and no WINDOW_UPDATE ever
        out.write(headers(1, "/bytes?n=1048576"));
        out.flush();
        // Each frame as it comes: the answer's head (HEADERS are not flow-controlled), no DATA, then RST_STREAM at the send timeout.
        s.setSoTimeout(20_000);
        var in = new java.io.DataInputStream(s.getInputStream());
        List<String> seen = new ArrayList<>();
        while (!seen.contains("RST_STREAM 1")) {
            int length = in.readUnsignedByte() << 16 | in.readUnsignedShort();
            int type = in.readUnsignedByte();
            in.readUnsignedByte();
            int stream = in.readInt() & 0x7fffffff;
            in.readNBytes(length);
            seen.add(switch (type) {
                case 0 -> "DATA";
                case 1 -> "HEADERS";
                case 3 -> "RST_STREAM";
                case 4 -> "SETTINGS";
                case 6 -> "PING";
                case 7 -> "GOAWAY";
                case 8 -> "WINDOW_UPDATE";
                default -> "type " + type;
            } + (stream == 0 ? "" : " " + stream));
        }
        assertThat(seen).contains("HEADERS 1").doesNotContain("DATA 1");
    }

    /** A HEADERS frame for a GET of {@code path} on shop.test, END_STREAM and END_HEADERS, HPACK literals without Huffman. */
    private static byte[] headers(int stream, String path) {
        var block = new java.io.ByteArrayOutputStream();
        block.write(0x82); // :method GET
        block.write(0x87); // :scheme https
        block.write(0x04); // :path, a literal value
        block.write(path.length());
        block.writeBytes(path.getBytes(StandardCharsets.US_ASCII));
        block.write(0x01); // :authority, a literal value
        block.write("shop.test".length());
        block.writeBytes("shop.test".getBytes(StandardCharsets.US_ASCII));
        byte[] b = block.toByteArray();
        var frame = java.nio.ByteBuffer.allocate(9 + b.length);
        frame.put((byte) 0).putShort((short) b.length).put((byte) 1).put((byte) 5).putInt(stream).put(b);
        return frame.array();
    }

    /** Whether the server closed the connection without a byte of answer (a reset, when the request was still unread). */
    private static boolean unanswered(Socket s) throws IOException {
        try {
            return readUntilClosed(s).isEmpty();
        } catch (java.net.SocketException reset) {
            return reset.getMessage().contains("reset");
        }
    }

    /** The type of each HTTP/2 frame in {@code bytes} (9-byte headers: length, type, flags, stream). */
    private static List<Integer> frameTypes(byte[] bytes) {
        List<Integer> types = new ArrayList<>();
        for (int at = 0; at + 9 <= bytes.length; ) {
            int length = (bytes[at] & 0xff) << 16 | (bytes[at + 1] & 0xff) << 8 | bytes[at + 2] & 0xff;
            types.add(bytes[at + 3] & 0xff);
            at += 9 + length;
        }
        return types;
    }
}
