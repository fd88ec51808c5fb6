package dev.rollgate.cli;

import dev.rollgate.spec.Durations;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

/**
 * What one call to the API server may cost a command: its whole answer within the deadline
 * ({@code --request-timeout}, as kubectl's), and at most {@link #MAX_ANSWER_BYTES}. fabric8's own
 * timeout ends the wait for an answer's head only, so a server that drips its body, or sends
 * gigabytes, held a command for minutes or took its memory. Watches are long by design: left alone.
 */
final class ApiCallLimits implements Interceptor {

    /** Far above any list a command reads (a thousand Rollouts are a few megabytes). */
    static final long MAX_ANSWER_BYTES = 64L << 20;

    private final Duration deadline;

    /** A call stopped by one of these limits; the message says which. */
    static final class Exceeded extends IOException {
        Exceeded(String message) {
            super(message);
        }
    }

    ApiCallLimits(Duration deadline) {
        this.deadline = deadline;
    }

    @Override
    public AsyncBody.Consumer<List<ByteBuffer>> consumer(AsyncBody.Consumer<List<ByteBuffer>> consumer, HttpRequest request) {
        String query = request.uri().getRawQuery();
        if (query != null && query.contains("watch=true")) return consumer;
        long start = System.nanoTime();
        String what = request.method() + " " + request.uri().getPath();
        return new AsyncBody.Consumer<>() {
            private long bytes;

            @Override
            public void consume(List<ByteBuffer> value, AsyncBody body) throws Exception {
                for (ByteBuffer b : value) bytes += b.remaining();
                if (bytes > MAX_ANSWER_BYTES) {
                    throw new Exceeded("the answer to " + what + " is over " + (MAX_ANSWER_BYTES >> 20) + " MiB, more than a command reads");
                }
                if (System.nanoTime() - start > deadline.toNanos()) {
                    throw new Exceeded("the answer to " + what + " did not end within " + Durations.format(deadline) + " (--request-timeout)");
                }
                consumer.consume(value, body);
            }

            @Override
            public <U> U unwrap(Class<U> type) {
                return consumer.unwrap(type);
            }
        };
    }
}
