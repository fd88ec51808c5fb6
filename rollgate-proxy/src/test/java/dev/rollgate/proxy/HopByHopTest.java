package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class HopByHopTest {

    @Test
    void theAlwaysHopByHopHeadersGoAndEndToEndOnesStay() {
        HttpHeaders h = new DefaultHttpHeaders().add("Connection", "keep-alive").add("Keep-Alive", "timeout=5").add("TE", "trailers")
                .add("Transfer-Encoding", "chunked").add("Upgrade", "h2c").add("Proxy-Authorization", "Basic x").add("Proxy-Connection", "close")
                .add("Content-Type", "text/plain").add("Authorization", "Bearer y");
        HopByHop.strip(h);
        assertThat(h.names()).containsExactlyInAnyOrder("Content-Type", "Authorization");
    }

    @Test
    void headersNamedInConnectionGoToo() {
        HttpHeaders h = new DefaultHttpHeaders().add("Connection", "close, X-Trace").add("Connection", "x-secret").add("X-Trace", "1")
                .add("X-Secret", "2").add("X-Kept", "3");
        HopByHop.strip(h);
        assertThat(h.names()).containsExactly("X-Kept");
    }
}
