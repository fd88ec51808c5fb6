package dev.rollgate.analysis.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.rollgate.analysis.AnalysisPhase;
import dev.rollgate.spec.AnalysisTemplate;
import dev.rollgate.spec.AnalysisTemplate.Provider;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load metric: requests at a bounded rate to each revision, marked, from a list or a URL file; nothing where there is no proxy. */
class LoadProviderTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    /** A stand-in for the service's proxy: records method, path and the load header of each request. */
    private LoadTarget proxy() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", ex -> {
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " " + ex.getRequestHeaders().getFirst(LoadTarget.HEADER)
                    + " " + ex.getRequestHeaders().getFirst("User-Agent"));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        return new LoadTarget() {
            public URI base() {
                return base;
            }

            public Map<String, String> headers(String revision) {
                return Map.of(HEADER, "token:" + revision);
            }

            public Path resolve(String file) {
                return dir.resolve(file);
            }
        };
    }

    private static AnalysisTemplate.Metric metric(Provider.Load load) {
        return new AnalysisTemplate.Metric("load", null, null, null, null, null, 0, 0, 4, 0, load);
    }

    private static RunContext ctx(LoadTarget target) {
        return new RunContext("web", null, "stablehash", "canaryhash", Map.of(), null, false, target);
    }

    @Test
    void eachRevisionGetsItsMarkedRequestsInTurnAtNoMoreThanTheRate() throws Exception {
        LoadTarget target = proxy();
        var load = new Provider.Load(List.of("canary", "stable"), 20, Duration.ofSeconds(1), List.of("GET /a", "HEAD /b", "/c"), null);
        var m = AnalysisRun.measureOnce(new Providers(), metric(load), ctx(target), Instant.EPOCH);
        assertThat(m.phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
        assertThat(seen).as("at most rate × duration to each").hasSizeLessThanOrEqualTo(2 * 20)
                .anyMatch(s -> s.equals("GET /a token:canaryhash rollgate-load"))
                .anyMatch(s -> s.equals("HEAD /b token:stablehash rollgate-load"))
                .anyMatch(s -> s.startsWith("GET /c token:"));
        assertThat(m.value()).asString().contains("canaryRequests=").contains("stableRequests=");
    }

    @Test
    void aUrlFileGivesThePathsAndABadLineIsNamed() throws Exception {
        LoadTarget target = proxy();
        Files.writeString(dir.resolve("urls.txt"), "# the hot pages\n/items/1\n\n/items/2\n");
        var load = new Provider.Load(List.of("canary"), 10, Duration.ofMillis(500), List.of(), "urls.txt");
        assertThat(AnalysisRun.measureOnce(new Providers(), metric(load), ctx(target), Instant.EPOCH).phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
        assertThat(seen).isNotEmpty().allMatch(s -> s.startsWith("GET /items/") && s.contains("token:canaryhash"));

        Files.writeString(dir.resolve("bad.txt"), "/ok\nitems 3\n");
        var bad = new Provider.Load(List.of("canary"), 10, Duration.ofMillis(500), List.of(), "bad.txt");
        var m = AnalysisRun.measureOnce(new Providers(), metric(bad), ctx(target), Instant.EPOCH);
        assertThat(m.phase()).isEqualTo(AnalysisPhase.ERROR);
        assertThat(m.message()).contains("bad.txt: \"items 3\" is not a path");
    }

    @Test
    void withoutRollgatesProxyTheMetricSaysWhatToUseInstead() {
        var load = new Provider.Load(List.of("canary"), 10, Duration.ofSeconds(1), List.of("GET /"), null);
        var m = AnalysisRun.measureOnce(new Providers(), metric(load), ctx(null), Instant.EPOCH);
        assertThat(m.phase()).isEqualTo(AnalysisPhase.ERROR);
        assertThat(m.message()).contains("use a job metric with a load tester instead");
    }
}
