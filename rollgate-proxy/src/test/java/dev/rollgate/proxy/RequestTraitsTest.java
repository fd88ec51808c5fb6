package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a request's head says about carrying it, one row per kind of head. */
class RequestTraitsTest {

    @ParameterizedTest(name = "{0} {1} [{2}]")
    @CsvSource(delimiter = '|', value = {
            "GET    | HTTP/1.1 |                                   | true  | false | true  | false | false | false",
            "HEAD   | HTTP/1.1 |                                   | true  | false | true  | true  | false | false",
            "POST   | HTTP/1.1 | content-length=12                 | false | true  | true  | false | false | false",
            "POST   | HTTP/1.1 | content-length=0                  | false | false | true  | false | false | false",
            "PUT    | HTTP/1.1 | transfer-encoding=chunked         | true  | true  | true  | false | false | false",
            "GET    | HTTP/1.1 | connection=close                  | true  | false | false | false | false | false",
            "GET    | HTTP/1.0 |                                   | true  | false | false | false | false | true",
            "GET    | HTTP/1.0 | connection=keep-alive             | true  | false | true  | false | false | true",
            "GET    | HTTP/1.1 | connection=Upgrade;upgrade=websocket | true | false | true | false | true | false",
            "GET    | HTTP/1.1 | upgrade=websocket                 | true  | false | true  | false | false | false",
    })
    void readFromTheHead(String method, String version, String headers, boolean idempotent, boolean hasBody, boolean keepAlive,
                         boolean headMethod, boolean upgrade, boolean http10) {
        var r = new DefaultHttpRequest(HttpVersion.valueOf(version), HttpMethod.valueOf(method), "/");
        if (headers != null) {
            for (String h : headers.split(";")) r.headers().add(h.substring(0, h.indexOf('=')), h.substring(h.indexOf('=') + 1));
        }
        assertThat(RequestTraits.of(r)).isEqualTo(new RequestTraits(idempotent, hasBody, keepAlive, headMethod, upgrade, http10));
    }
}
