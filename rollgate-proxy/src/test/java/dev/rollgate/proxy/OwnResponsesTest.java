package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The proxy's own answers: words or the service's page, Retry-After on a 503, HSTS when asked for. */
class OwnResponsesTest {

    private static String body(DefaultFullHttpResponse r) {
        try {
            return r.content().toString(StandardCharsets.UTF_8);
        } finally {
            r.release();
        }
    }

    @Test
    void anErrorIsItsWordsOnOneLineWithItsLength() {
        var r = OwnResponses.error(HttpResponseStatus.BAD_GATEWAY, "no upstream could be reached", Map.of(), null, 0);
        assertThat(r.headers().get("content-type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(r.headers().getInt("content-length")).isEqualTo(29);
        assertThat(r.headers().contains("retry-after")).isFalse();
        assertThat(r.headers().contains("strict-transport-security")).isFalse();
        assertThat(body(r)).isEqualTo("no upstream could be reached\n");
    }

    @Test
    void theServicesPageForTheStatusWinsOverTheWords() {
        var r = OwnResponses.error(HttpResponseStatus.BAD_GATEWAY, "words", Map.of(502, "<h1>back soon</h1>"), null, 0);
        assertThat(r.headers().get("content-type")).isEqualTo("text/html; charset=utf-8");
        assertThat(body(r)).isEqualTo("<h1>back soon</h1>");
    }

    @Test
    void aServiceUnavailableSaysWhenToComeBackAndHstsComesWhenAskedFor() {
        var paused = OwnResponses.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "paused", Map.of(), "30", 31_536_000);
        assertThat(paused.headers().get("retry-after")).isEqualTo("30");
        assertThat(paused.headers().get("strict-transport-security")).isEqualTo("max-age=31536000");
        paused.release();
        var unsaid = OwnResponses.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "no replica", Map.of(), null, 0);
        assertThat(unsaid.headers().get("retry-after")).isEqualTo("1");
        unsaid.release();
    }

    @Test
    void aResponseWithoutTextHasNoBodyAndNoType() {
        var r = OwnResponses.of(HttpResponseStatus.PERMANENT_REDIRECT, null, null);
        assertThat(r.headers().contains("content-type")).isFalse();
        assertThat(r.headers().getInt("content-length")).isZero();
        assertThat(body(r)).isEmpty();
    }
}
