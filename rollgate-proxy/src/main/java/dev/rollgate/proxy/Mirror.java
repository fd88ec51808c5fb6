package dev.rollgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends copies of requests to the revision a {@link MirrorRoute} names, off the event loop, and
 * pairs each copy's answer with the client's. The client never waits for a copy: at most
 * {@link #MAX_IN_FLIGHT} copies are queued or in flight, and a request beyond that is not mirrored
 * (counted as dropped).
 */
final class Mirror implements AutoCloseable {

    static final int MAX_IN_FLIGHT = 256;
    static final String HEADER = "X-Rollgate-Mirror";
    /** The JDK client sets these itself; hop-by-hop ones do not travel either. */
    private static final Set<String> NOT_COPIED = Set.of("host", "connection", "content-length", "expect", "upgrade", "keep-alive",
            "transfer-encoding", "te", "trailer", "proxy-connection", "http2-settings", "proxy-authorization");
    private static final Set<String> NEVER_COMPARED = Set.of("date", "server", "connection", "keep-alive", "transfer-encoding",
            "content-length", "x-request-id", "set-cookie");

    private final Router router;
    private final ProxyMetrics metrics;
    private final Semaphore slots = new Semaphore(MAX_IN_FLIGHT);
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    Mirror(Router router, ProxyMetrics metrics) {
        this.router = router;
        this.metrics = metrics;
    }

    /**
     * The pair of {@code request}, whose copy is on its way, or null when it is not mirrored (no
     * route, no match, not drawn, nothing ready to take it, or too many copies in flight). Never blocks.
     */
    Pair offer(HttpRequest request) {
        MirrorRoute route = router.table().mirror();
        if (route == null || !route.matches(request) || !request.uri().startsWith("/")) return null;
        if ("websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE))) return null;
        if (route.percentage() < 100 && ThreadLocalRandom.current().nextInt(100) >= route.percentage()) return null;
        MirrorStats stats = metrics.mirror(route.revision());
        EndpointState target = router.pick(new Router.Want(false, route.revision()), List.of());
        if (target == null) return null;
        if (!slots.tryAcquire()) {
            target.release();
            stats.dropped.increment();
            return null;
        }
        stats.mirrored.increment();
        Pair pair = new Pair(route, stats);
        java.net.http.HttpRequest copy = copy(request, target.endpoint);
        senders.execute(() -> {
            try {
                send(copy, pair);
            } finally {
                target.release();
                slots.release();
            }
        });
        return pair;
    }

    private static java.net.http.HttpRequest copy(HttpRequest request, Endpoint to) {
        var b = java.net.http.HttpRequest.newBuilder(URI.create("http://" + to.host() + ":" + to.port() + request.uri()))
                .timeout(Duration.ofSeconds(30)).method(request.method().name(), java.net.http.HttpRequest.BodyPublishers.noBody());
        for (Map.Entry<String, String> h : request.headers()) {
            if (!NOT_COPIED.contains(h.getKey().toLowerCase(Locale.ROOT))) b.header(h.getKey(), h.getValue());
        }
        return b.header(HEADER, "1").build();
    }

    private void send(java.net.http.HttpRequest copy, Pair pair) {
        long start = System.nanoTime();
        try {
            var response = client.send(copy, java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest body = digest();
            try (InputStream in = response.body()) {
                byte[] buf = new byte[8192];
                for (int n; (n = in.read(buf)) >= 0; ) if (pair.route.compareBody()) body.update(buf, 0, n);
            }
            pair.mirrored(response.statusCode(), (System.nanoTime() - start) / 1000, body.digest(),
                    headers(response.headers().map(), pair.route.ignoreHeaders()));
        } catch (IOException e) {
            pair.mirrored(0, (System.nanoTime() - start) / 1000, null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The compared headers, by lower-case name, in order: those neither ignored nor never compared. */
    static String headers(Map<String, List<String>> all, List<String> ignored) {
        Map<String, List<String>> kept = new TreeMap<>();
        all.forEach((name, values) -> {
            String n = name.toLowerCase(Locale.ROOT);
            if (!n.startsWith(":") && !NEVER_COMPARED.contains(n) && !ignored.contains(n)) kept.put(n, values);
        });
        return kept.toString();
    }

    @Override
    public void close() {
        senders.shutdownNow();
        client.close();
    }

    /** The client's answer and the mirrored one to the same request; recorded once both are in. */
    static final class Pair {
        final MirrorRoute route;
        private final MirrorStats stats;
        private final MessageDigest primaryBody;
        private String primaryHeaders;
        private int primaryStatus = -1, mirrorStatus = -1;
        private long primaryMicros, mirrorMicros;
        private byte[] primaryHash, mirrorHash;
        private String mirrorHeaders;

        Pair(MirrorRoute route, MirrorStats stats) {
            this.route = route;
            this.stats = stats;
            this.primaryBody = route.compareBody() ? digest() : null;
        }

        /** The client's response head (read on the event loop). */
        void head(HttpResponse response) {
            if (primaryBody == null) return;
            Map<String, List<String>> all = new TreeMap<>();
            HttpHeaders h = response.headers();
            for (String name : h.names()) all.put(name, h.getAll(name));
            primaryHeaders = headers(all, route.ignoreHeaders());
        }

        /** A piece of the client's response body; the buffer's indexes are left as they are. */
        void body(ByteBuf content) {
            if (primaryBody == null || !content.isReadable()) return;
            for (ByteBuffer b : content.nioBuffers()) primaryBody.update(b);
        }

        synchronized void primary(int status, long micros) {
            if (primaryStatus >= 0) return;
            primaryStatus = status;
            primaryMicros = micros;
            primaryHash = primaryBody == null ? null : primaryBody.digest();
            done();
        }

        synchronized void mirrored(int status, long micros, byte[] hash, String headers) {
            mirrorStatus = status;
            mirrorMicros = micros;
            mirrorHash = hash;
            mirrorHeaders = headers;
            done();
        }

        private void done() {
            if (primaryStatus < 0 || mirrorStatus < 0) return;
            boolean different = primaryStatus / 100 != mirrorStatus / 100
                    || route.compareBody() && mirrorStatus != 0 && (!Arrays.equals(primaryHash, mirrorHash)
                    || !Objects.equals(primaryHeaders, mirrorHeaders));
            stats.pair(primaryStatus, primaryMicros, mirrorStatus, mirrorMicros, different);
        }
    }
}
