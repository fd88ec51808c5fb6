package dev.rollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a request goes again, and where: the rules, each case by name. */
class RetryPolicyTest {

    @Test
    void onlyMethodsWhoseRepeatDoesNoHarmAreIdempotent() {
        for (HttpMethod m : List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE)) {
            assertThat(RetryPolicy.idempotent(m)).as(m.name()).isTrue();
        }
        assertThat(RetryPolicy.idempotent(HttpMethod.POST)).isFalse();
        assertThat(RetryPolicy.idempotent(HttpMethod.PATCH)).isFalse();
    }

    @Test
    void whatNeverLeftIsAlwaysReplayedAndWhatMayHaveArrivedOnlyWhenRepeatingIsHarmless() {
        assertThat(RetryPolicy.replayable(false, true, false, false)).as("a POST that never left").isTrue();
        assertThat(RetryPolicy.replayable(true, false, true, false)).as("a GET sent, no answer").isTrue();
        assertThat(RetryPolicy.replayable(true, false, false, true)).as("a POST without a body on a keep-alive connection the upstream had closed").isTrue();
        assertThat(RetryPolicy.replayable(true, false, false, false)).as("a POST sent on a fresh connection").isFalse();
        assertThat(RetryPolicy.replayable(true, true, true, true)).as("a PUT with its body sent: the body is gone").isFalse();
    }

    @Test
    void thePauseDoublesPerAttemptUpTo160Milliseconds() {
        assertThat(List.of(0, 1, 2, 3, 4, 5, 7).stream().map(RetryPolicy::pauseMillis).toList()).containsExactly(10L, 20L, 40L, 80L, 160L, 160L, 160L);
    }

    @Test
    void afterEveryEndpointFailedOnlyTheLastOneStaysOutAndMoreCanFailAgain() {
        List<String> left = RetryPolicy.afterEveryOneFailed(new ArrayList<>(List.of("a", "b", "c")));
        assertThat(left).containsExactly("c");
        left.add("a");
        assertThat(left).containsExactly("c", "a");
    }

    @Test
    void onlyAServerErrorOfAnIdempotentRequestWithoutABodyIsMaskedAndOnlyOnce() {
        assertThat(RetryPolicy.maskable(500, false, true, false, true)).isTrue();
        assertThat(RetryPolicy.maskable(503, false, true, false, true)).isTrue();
        assertThat(RetryPolicy.maskable(404, false, true, false, true)).as("a client error is the answer").isFalse();
        assertThat(RetryPolicy.maskable(500, true, true, false, true)).as("masked already").isFalse();
        assertThat(RetryPolicy.maskable(500, false, false, false, true)).as("a POST").isFalse();
        assertThat(RetryPolicy.maskable(500, false, true, true, true)).as("a body, gone").isFalse();
        assertThat(RetryPolicy.maskable(500, false, true, false, false)).as("masking off").isFalse();
    }
}
