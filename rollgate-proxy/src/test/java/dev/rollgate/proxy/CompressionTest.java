package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which responses a service compresses, and how: the client's Accept-Encoding against the service's order, and what is eligible. */
class CompressionTest {

    private static final Compression ALL = new Compression(List.of("zstd", "br", "gzip"), 1024,
            List.of("text/*", "application/json", "application/*+json", "image/svg+xml"));

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "gzip                               | gzip",
            "gzip, deflate, br                  | br",
            "gzip, deflate, br, zstd            | zstd",
            "br;q=1.0, gzip;q=0.8, zstd;q=0.5   | br",
            "zstd;q=0, gzip                     | gzip",
            "*                                  | zstd",
            "*;q=0.5, gzip                      | gzip",
            "gzip;q=0, *                        | zstd",
            "x-gzip                             | gzip",
            "identity                           | none",
            "deflate                            | none",
            "GZIP;Q=0.3                         | gzip",
            "gzip;q=nonsense                    | none",
            "''                                 | none",
    })
    void theClientsPreferenceFirstThenTheServices(String acceptEncoding, String chosen) {
        assertThat(ALL.choose(acceptEncoding)).isEqualTo(chosen);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "plain text of 2 KB                 | 200 | text/plain; charset=utf-8 | 2048 | none | none     | false | true",
            "JSON of unknown length             | 200 | application/json          | none | none | none     | false | true",
            "problem+json                       | 500 | application/problem+json  | 4096 | none | none     | false | true",
            "shorter than the minimum           | 200 | text/html                 | 100  | none | none     | false | false",
            "already gzip                       | 200 | text/html                 | 4096 | gzip | none     | false | false",
            "identity is not an encoding        | 200 | text/html                 | 4096 | identity | none | false | true",
            "an image                           | 200 | image/png                 | 4096 | none | none     | false | false",
            "svg                                | 200 | image/svg+xml             | 4096 | none | none     | false | true",
            "no content type                    | 200 | none                      | 4096 | none | none     | false | false",
            "no-transform                       | 200 | text/html                 | 4096 | none | no-transform | false | false",
            "a range                            | 206 | text/html                 | 4096 | none | none     | false | false",
            "not modified                       | 304 | text/html                 | none | none | none     | false | false",
            "no content                         | 204 | text/html                 | none | none | none     | false | false",
            "the answer to a HEAD               | 200 | text/html                 | 4096 | none | none     | true  | false",
    })
    void onlyAResponseWithABodyOfAListedTypeThatIsNotEncodedAlready(String name, int status, String type, String length, String encoding,
                                                                    String cacheControl, boolean head, boolean eligible) {
        var r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        if (type != null) r.headers().set("content-type", type);
        if (length != null) r.headers().set("content-length", length);
        if (encoding != null) r.headers().set("content-encoding", encoding);
        if (cacheControl != null) r.headers().set("cache-control", cacheControl);
        assertThat(ALL.eligible(r, head)).isEqualTo(eligible);
    }

    @ParameterizedTest
    @CsvSource({"gzip", "br", "zstd"})
    void offChoosesNothingAndEachEncodingIsAvailableHere(String encoding) {
        assertThat(Compression.OFF.enabled()).isFalse();
        assertThat(Compression.OFF.choose(encoding)).isNull();
        assertThat(BodyEncoder.available(encoding)).isTrue();
    }
}
