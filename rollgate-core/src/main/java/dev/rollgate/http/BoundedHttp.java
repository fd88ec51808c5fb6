package dev.rollgate.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One HTTP exchange with a deadline for the whole of it (connect, headers and the last byte of
 * the body) and a cap on the body's size: the JDK client's own timeout ends when the headers
 * arrive, so a server that stalls mid-body would otherwise hold its caller forever.
 */
public final class BoundedHttp {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ExecutorService READERS = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("http-body-", 0).factory());

    /** A status and the body as text. */
    public record Answer(int status, String body) {}

    private BoundedHttp() {}

    /**
     * Sends {@code request} and reads its answer, all within {@code deadline}, at most
     * {@code maxBytes} of body. An IOException says which limit was hit.
     */
    public static Answer exchange(HttpRequest request, Duration deadline, int maxBytes) throws IOException, InterruptedException {
        AtomicReference<InputStream> body = new AtomicReference<>();
        CompletableFuture<Answer> answer = HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                .thenApplyAsync(r -> {
                    body.set(r.body());
                    try (InputStream in = r.body()) {
                        byte[] b = in.readNBytes(maxBytes + 1);
                        if (b.length > maxBytes) throw new IOException("the answer is over " + maxBytes + " bytes");
                        return new Answer(r.statusCode(), new String(b, StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, READERS);
        try {
            return answer.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            InputStream in = body.get();
            if (in != null) in.close(); // ends a body that stalls mid-way, and its connection
            throw new IOException("no whole answer within " + deadline.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
            if (cause instanceof IOException io) throw io;
            throw new IOException(cause == null ? "failed" : cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
        } catch (InterruptedException e) {
            answer.cancel(true);
            throw e;
        }
    }
}
