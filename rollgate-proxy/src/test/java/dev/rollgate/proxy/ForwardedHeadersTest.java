package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import org.junit.jupiter.api.Test;

/** What an upstream learns about the client, from a trusted peer and from anyone else. */
class ForwardedHeadersTest {

    private static final AsciiString CLIENT = new AsciiString("203.0.113.7");

    private static HttpHeaders spoofed() {
        return new DefaultHttpHeaders().set("Host", "shop.example").set("X-Forwarded-For", "10.0.0.1")
                .set("X-Forwarded-Proto", "https").set("X-Forwarded-Host", "admin.example").set("Forwarded", "for=10.0.0.1")
                .set("X-Real-IP", "10.0.0.1").set("X-Forwarded-Prefix", "/admin").set("X-Request-Id", "mine");
    }

    @Test
    void anUntrustedPeerIsTheClientAndWhatItClaimsIsDropped() {
        HttpHeaders h = spoofed();
        ForwardedHeaders.apply(h, CLIENT, false, false, ForwardedHeaders.REQUEST_ID);
        assertThat(h.get("X-Forwarded-For")).isEqualTo("203.0.113.7");
        assertThat(h.get("X-Forwarded-Proto")).as("how it came to this proxy").isEqualTo("http");
        assertThat(h.get("X-Forwarded-Host")).as("its Host, not its claim").isEqualTo("shop.example");
        assertThat(h.contains("Forwarded")).isFalse();
        assertThat(h.contains("X-Real-IP")).isFalse();
        assertThat(h.contains("X-Forwarded-Prefix")).isFalse();
        assertThat(h.get("X-Request-Id")).as("a fresh id, not the client's").matches("[0-9a-f]{32}");
    }

    @Test
    void aTrustedPeersHeadersAreKeptAndTheChainExtended() {
        HttpHeaders h = spoofed();
        ForwardedHeaders.apply(h, CLIENT, true, false, ForwardedHeaders.REQUEST_ID);
        assertThat(h.get("X-Forwarded-For")).isEqualTo("10.0.0.1, 203.0.113.7");
        assertThat(h.get("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(h.get("X-Forwarded-Host")).isEqualTo("admin.example");
        assertThat(h.get("X-Forwarded-Prefix")).isEqualTo("/admin");
        assertThat(h.get("X-Request-Id")).isEqualTo("mine");
    }

    @Test
    void aPlainRequestGetsEveryHeaderAndAConfiguredIdName() {
        HttpHeaders h = new DefaultHttpHeaders().set("Host", "shop.example");
        ForwardedHeaders.apply(h, CLIENT, true, true, "X-Trace");
        assertThat(h.get("X-Forwarded-For")).isEqualTo("203.0.113.7");
        assertThat(h.get("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(h.get("X-Forwarded-Host")).isEqualTo("shop.example");
        assertThat(h.get("X-Trace")).matches("[0-9a-f]{32}");
        assertThat(h.contains("X-Request-Id")).isFalse();
    }

    @Test
    void theDefaultIdNameIsTheSharedConstantAndOnlyTheConstantsAreOwnNames() {
        assertThat(ForwardedHeaders.requestIdHeader("X-REQUEST-ID")).isSameAs(ForwardedHeaders.REQUEST_ID);
        assertThat(ForwardedHeaders.requestIdHeader("X-Trace")).isEqualTo("X-Trace");
        assertThat(ForwardedHeaders.isOwnHeaderName(ForwardedHeaders.X_FORWARDED_FOR)).isTrue();
        assertThat(ForwardedHeaders.isOwnHeaderName(new AsciiString("x-forwarded-for"))).as("a copy, as a client's would be").isFalse();
        assertThat(ForwardedHeaders.requestId().toString()).isNotEqualTo(ForwardedHeaders.requestId().toString());
    }
}
