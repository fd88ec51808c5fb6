package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A gRPC call's end as the metrics count it, and a trailers-only answer reshaped as headers and trailers. */
class GrpcStatusTest {

    @ParameterizedTest(name = "HTTP {0}, grpc-status {1}: counted {2}")
    @CsvSource(nullValues = "none", value = {
            "200, 0,    200",
            "200, 14,   503",
            "200, 4,    504",
            "200, 12,   501",
            "200, 13,   500",
            "200, 5,    500",
            "200, 1,    500",
            "200, none, 200",
            "503, 14,   503",
            "404, none, 404",
    })
    void anyStatusButOkCountsAsAServerError(int http, String grpc, int counted) {
        assertThat(GrpcStatus.counted(http, grpc)).isEqualTo(counted);
    }

    @Test
    void aTrailersOnlyAnswerCarriesItsStatusInTrailers() {
        var headers = new DefaultHttpHeaders().set("content-type", "application/grpc").set("grpc-status", "14").set("grpc-message", "down");
        var trailers = new DefaultHttpHeaders();
        GrpcStatus.toTrailers(headers, trailers, false);
        assertThat(headers.names()).containsExactly("content-type");
        assertThat(trailers.get("grpc-status")).isEqualTo("14");
        assertThat(trailers.get("grpc-message")).isEqualTo("down");

        var withBody = new DefaultHttpHeaders().set("grpc-status", "0");
        GrpcStatus.toTrailers(withBody, new DefaultHttpHeaders(), true);
        assertThat(withBody.get("grpc-status")).as("left alone when a body follows").isEqualTo("0");
    }
}
