package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rollgate.testkit.Loopback;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The proxy behaves the same on every transport this machine offers: the other tests run on the
 * preferred one (io_uring where the kernel allows it); here each serves a keep-alive client that
 * pipelines requests with and without bodies, and a refused upstream is retried.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TransportTest {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void servesPipelinedRequestsWithBodiesAndRetriesARefusedConnect(Transport transport) throws Exception {
        assumeTrue(transport.available(), transport.label() + " is not available on this machine");
        try (TestUpstream up = new TestUpstream("a");
             ProxyServer proxy = new ProxyServer(ProxyConfig.defaults(), 1, transport)) {
            var refused = new Endpoint("gone", "v1", "127.0.0.1", Loopback.freePort());
            proxy.router().update(RoutingTable.single("v1", List.of(refused, up.endpoint("v1"))));
            int port = proxy.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), false).getPort();

            String answers = RawHttp.exchange(port, "GET /status?code=201 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                    + "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
                    + "GET /status?code=203 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

            assertThat(answers.indexOf("HTTP/1.1 201")).isGreaterThanOrEqualTo(0);
            assertThat(answers.indexOf("hello")).isGreaterThan(answers.indexOf("HTTP/1.1 201"));
            assertThat(answers.indexOf("abcde")).isGreaterThan(answers.indexOf("hello"));
            assertThat(answers.indexOf("HTTP/1.1 203")).isGreaterThan(answers.indexOf("abcde"));
            assertThat(up.hits.get()).isEqualTo(4);
            assertThat(proxy.metrics().total("v1", 2)).as("2xx answers counted").isEqualTo(4);
            assertThat(proxy.metrics().retries("v1")).as("connects refused by the gone endpoint, retried").isPositive();
        }
    }

    @Test
    void namesAreCheckedAndAutoPicksOneThatWorks() {
        assertThat(Transport.parse("auto").available()).isTrue();
        assertThat(Transport.parse("NIO")).isEqualTo(Transport.NIO);
        assertThatThrownBy(() -> Transport.parse("kqueue"))
                .hasMessage("transport must be one of auto, io_uring, epoll, nio, got 'kqueue'");
    }


}
