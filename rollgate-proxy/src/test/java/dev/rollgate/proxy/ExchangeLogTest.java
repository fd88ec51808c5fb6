package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What an exchange leaves behind: the replica and its revision charged, and the access-log line. */
class ExchangeLogTest {

    private final ProxyMetrics metrics = new ProxyMetrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void aStatusIsChargedToTheReplicaAndItsRevisionAndNoStatusToNobody() {
        var endpoint = new EndpointState(new Endpoint("web-1", "v2", "127.0.0.1", 8080), metrics);
        ExchangeLog.record(endpoint, 503, 1200, null);
        ExchangeLog.record(endpoint, 200, 900, null);
        ExchangeLog.record(endpoint, 0, 900, null);
        ExchangeLog.record(null, 500, 900, null);
        assertThat(endpoint.endpointStats.total(5)).isEqualTo(1);
        assertThat(endpoint.endpointStats.total(2)).isEqualTo(1);
        assertThat(endpoint.revisionStats.total(5)).isEqualTo(1);
        assertThat(metrics.revision("v2").total(2)).isEqualTo(1);
    }

    @Test
    void theAccessLogLineNamesTheRequestTheAnswerAndTheReplica() {
        var r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/orders?id=7");
        r.headers().set("host", "shop.example").set("x-request-id", "abc");
        var e = ExchangeLog.entry(r, ForwardedHeaders.REQUEST_ID, 201, 42, 3_500_000, new Endpoint("web-1", "v2", "127.0.0.1", 8080),
                true, "203.0.113.9", true);
        assertThat(e.requestId()).isEqualTo("abc");
        assertThat(e.host()).isEqualTo("shop.example");
        assertThat(e.method()).isEqualTo("POST");
        assertThat(e.path()).isEqualTo("/orders?id=7");
        assertThat(e.status()).isEqualTo(201);
        assertThat(e.bytes()).isEqualTo(42);
        assertThat(e.durationMillis()).isEqualTo(3.5);
        assertThat(e.revision()).isEqualTo("v2");
        assertThat(e.replica()).isEqualTo("web-1");
        assertThat(e.retried()).isTrue();
        assertThat(e.client()).isEqualTo("203.0.113.9");
        assertThat(e.tls()).isTrue();

        var own = ExchangeLog.entry(r, ForwardedHeaders.REQUEST_ID, 404, 0, 0, null, false, "203.0.113.9", false);
        assertThat(own.revision()).isNull();
        assertThat(own.replica()).isNull();
    }
}
