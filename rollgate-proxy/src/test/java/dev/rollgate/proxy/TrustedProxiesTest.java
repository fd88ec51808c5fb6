package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which peers' forwarded headers the front door keeps: a CIDR matches on its prefix's bits only, in its own family. */
class TrustedProxiesTest {

    @ParameterizedTest(name = "{0} trusts {1}: {2}")
    @CsvSource({
            "10.0.0.0/8,       10.200.3.4,    true",
            "10.0.0.0/8,       11.0.0.1,      false",
            "192.168.1.7,      192.168.1.7,   true",
            "192.168.1.7,      192.168.1.8,   false",
            "172.16.0.0/12,    172.31.255.255, true",
            "172.16.0.0/12,    172.32.0.0,    false",
            "192.168.0.0/23,   192.168.1.200, true",
            "192.168.0.0/23,   192.168.2.1,   false",
            "0.0.0.0/0,        8.8.8.8,       true",
            "::1,              ::1,           true",
            "::1,              127.0.0.1,     false",
            "fd00::/8,         fd12:3456::1,  true",
            "fd00::/8,         fe80::1,       false",
            "127.0.0.0/8,      ::1,           false",
    })
    void aPeerIsTrustedWhenItsAddressIsInANetwork(String cidr, String peer, boolean trusted) throws UnknownHostException {
        assertThat(TrustedProxies.of(List.of(cidr)).trusts(InetAddress.getByName(peer))).isEqualTo(trusted);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "::1/129", "10.0.0.0/-1", "10.0.0.0/x"})
    void aPrefixLengthOutOfRangeIsNamed(String cidr) {
        assertThatThrownBy(() -> TrustedProxies.of(List.of(cidr))).isInstanceOf(UnknownHostException.class).hasMessageContaining(cidr);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "::1"})
    void noNetworkAndNoPeerTrustNothing(String peer) throws UnknownHostException {
        assertThat(TrustedProxies.NONE.trusts(InetAddress.getByName(peer))).isFalse();
        assertThat(TrustedProxies.of(List.of("0.0.0.0/0")).trusts(null)).isFalse();
    }
}
