package dev.rollgate.local.api;

import com.sun.net.httpserver.HttpExchange;
import dev.rollgate.local.LoopbackApi;
import dev.rollgate.local.daemon.Daemon;
import dev.rollgate.view.ServiceTable;
import dev.rollgate.view.ServiceView;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /v1/services[/NAME]} as {@code rollgate get}'s table ({@link ServiceTable}), for a client that
 * asks for it with {@code Accept: text/tab-separated-values} ({@code ?wide=true} adds the image). What the
 * table cannot show comes with it as a {@code Warning} header, as the Kubernetes API server sends kubectl
 * its warnings.
 */
final class ServiceListing {

    private ServiceListing() {}

    static boolean asked(HttpExchange ex) {
        String accept = ex.getRequestHeaders().getFirst("Accept");
        return accept != null && accept.contains(ServiceTable.MEDIA_TYPE);
    }

    static void send(HttpExchange ex, Daemon daemon, List<ServiceView> services, Map<String, String> q) throws IOException {
        boolean wide = Boolean.parseBoolean(q.getOrDefault("wide", "false"));
        warning(daemon.dataPlanePid(), daemon.dataPlaneUnansweredSince())
                .ifPresent(w -> ex.getResponseHeaders().add("Warning", "299 rollgate \"" + w.replace("\\", "\\\\").replace("\"", "\\\"") + "\""));
        LoopbackApi.send(ex, 200, ServiceTable.MEDIA_TYPE + "; charset=utf-8", ServiceTable.of(services, wide, Instant.now()).tsv());
    }

    /** The listing says what the daemon decided; a data plane that does not answer may serve none of it. */
    static Optional<String> warning(long dataPlanePid, Instant unansweredSince) {
        if (unansweredSince == null) return Optional.empty();
        return Optional.of("the data plane (pid " + dataPlanePid + ") has not answered the daemon since " + unansweredSince
                + "; the ports above may serve nothing (stopped? kill -CONT " + dataPlanePid + ")");
    }
}
