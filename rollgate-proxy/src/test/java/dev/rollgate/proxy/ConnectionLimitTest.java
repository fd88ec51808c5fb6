package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Connections counted one way on both listeners: taken on accept, given back on close, refused beyond the limits. */
class ConnectionLimitTest {

    /** An accepted connection from {@code peer}. */
    private static EmbeddedChannel from(String peer) {
        InetSocketAddress remote = new InetSocketAddress(peer, 40000);
        return new EmbeddedChannel() {
            @Override
            protected SocketAddress remoteAddress0() {
                return remote;
            }
        };
    }

    @Test
    void beyondTheLimitANewConnectionIsClosedAndAClosedOneGivesItsPlaceBack() {
        var limit = new ConnectionLimit(2);
        var a = from("10.0.0.1");
        var b = from("10.0.0.1");
        var c = from("10.0.0.1");
        assertThat(limit.admit(a)).isTrue();
        assertThat(limit.admit(b)).isTrue();
        assertThat(limit.admit(c)).isFalse();
        assertThat(c.isOpen()).isFalse();
        assertThat(limit.open()).isEqualTo(2);

        a.close();
        assertThat(limit.open()).isEqualTo(1);
        var d = from("10.0.0.1");
        assertThat(limit.admit(d)).isTrue();
        assertThat(d.isOpen()).isTrue();
    }

    @Test
    void oneAddressGetsNoMoreThanItsShareAndOthersStillGetIn() {
        var limit = new ConnectionLimit(8, 2);
        List<EmbeddedChannel> open = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            var ch = from("10.0.0.1");
            assertThat(limit.admit(ch)).isTrue();
            open.add(ch);
        }
        var third = from("10.0.0.1");
        assertThat(limit.admit(third)).as("a third from one address").isFalse();
        assertThat(third.isOpen()).isFalse();
        assertThat(limit.admit(from("10.0.0.2"))).as("another address").isTrue();
        assertThat(limit.open()).isEqualTo(3);

        open.getFirst().close();
        assertThat(limit.admit(from("10.0.0.1"))).as("its place back once one closed").isTrue();
    }

    @Test
    void withoutAShareOneAddressMayTakeTheWholeLimit() {
        var limit = new ConnectionLimit(3);
        for (int i = 0; i < 3; i++) assertThat(limit.admit(from("127.0.0.1"))).isTrue();
        assertThat(limit.admit(from("127.0.0.1"))).isFalse();
    }
}
