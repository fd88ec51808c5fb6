package dev.rollgate.analysis.run;

import dev.rollgate.analysis.AnalysisPhase;
import dev.rollgate.load.Load;
import dev.rollgate.spec.AnalysisTemplate.Provider;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code load} metric: Rollgate's own load generator at each chosen revision through the
 * service's proxy, at a fixed rate for a fixed time, so that the judge beside it has requests to
 * decide on when users send few. The measurement lasts the whole duration; stopping the run stops it.
 */
final class LoadProvider {

    /** At most this many paths are read from a URL file. */
    static final int MAX_PATHS = 10_000;

    private LoadProvider() {}

    static Reading drive(Provider.Load l, RunContext ctx, boolean outcomeDecides) throws IOException, InterruptedException {
        LoadTarget target = ctx.load();
        if (target == null) {
            throw new IllegalStateException("a load metric sends through Rollgate's own proxy, which this platform does not run:"
                    + " use a job metric with a load tester instead");
        }
        List<String> requests = l.urlFile() == null ? l.requests() : paths(target, l.urlFile());
        Map<String, Load> running = new LinkedHashMap<>();
        try {
            for (String which : l.revisions()) {
                String revision = which.equals("stable") ? ctx.stableRevision() : ctx.canaryRevision();
                if (revision == null || running.containsKey(which)) continue;
                List<HttpRequest> list = new ArrayList<>();
                for (String r : requests) list.add(request(target, revision, r));
                int clients = (int) Math.min(64, Math.max(1, Math.ceil(l.rate() / 10)));
                running.put(which, Load.start(list, clients, l.rate(), l.duration()));
            }
            Map<String, Object> value = new LinkedHashMap<>();
            long answered = 0;
            for (var e : running.entrySet()) {
                Load.Result r = e.getValue().await();
                long requestsSent = r.requests();
                answered += requestsSent - r.socketErrors();
                value.put(e.getKey() + "Requests", requestsSent);
                value.put(e.getKey() + "Non2xx", r.non2xx());
                value.put(e.getKey() + "SocketErrors", r.socketErrors());
                value.put(e.getKey() + "P99Ms", r.requests() == 0 ? Double.NaN : r.millis(99));
            }
            if (!outcomeDecides) return Reading.value(value);
            // The load's job is to be sent; how the revisions answered is the judge's to say.
            return new Reading(value, answered > 0 ? AnalysisPhase.SUCCESSFUL : AnalysisPhase.ERROR,
                    answered > 0 ? "" : "no request reached the service's proxy at " + target.base());
        } finally {
            for (Load load : running.values()) load.stop();
        }
    }

    /** "GET /path", "HEAD /path" or "/path" as a request to {@code revision}. */
    private static HttpRequest request(LoadTarget target, String revision, String line) {
        String[] parts = line.strip().split("\\s+", 2);
        String method = parts.length == 2 ? parts[0] : "GET";
        String path = parts.length == 2 ? parts[1] : parts[0];
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target.base() + path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody()).header("User-Agent", "rollgate-load");
        target.headers(revision).forEach(b::header);
        return b.build();
    }

    /** The paths of a URL file: one a line, blank lines and # comments skipped. */
    private static List<String> paths(LoadTarget target, String file) throws IOException {
        List<String> paths = new ArrayList<>();
        for (String line : Files.readAllLines(target.resolve(file))) {
            String p = line.strip();
            if (p.isEmpty() || p.startsWith("#")) continue;
            if (!p.startsWith("/") || p.chars().anyMatch(Character::isWhitespace)) {
                throw new IOException(file + ": \"" + p + "\" is not a path (one path a line, starting with /)");
            }
            paths.add(p);
            if (paths.size() == MAX_PATHS) break;
        }
        if (paths.isEmpty()) throw new IOException(file + " holds no path");
        return paths;
    }
}
