package dev.rollgate.analysis.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.rollgate.analysis.AnalysisPhase;
import dev.rollgate.analysis.MetricResult;
import dev.rollgate.spec.AnalysisTemplate;
import dev.rollgate.spec.AnalysisTemplate.Provider;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The judge on Kubernetes: each revision's numbers from Prometheus by the template's queries, the
 * same tests as on the embedded platform. A stub Prometheus answers the HTTP API.
 */
class PrometheusJudgeTest {

    private HttpServer server;
    private final List<String> asked = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    /** A Prometheus whose instant queries are answered by {@code answer} (the JSON of data.result, a vector). */
    private String prometheus(Function<String, String> answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/api/v1/query", ex -> {
            String query = URLDecoder.decode(ex.getRequestURI().getRawQuery().substring("query=".length()), StandardCharsets.UTF_8);
            asked.add(query);
            byte[] body = ("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":" + answer.apply(query) + "}}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (var out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static String number(double v) {
        return "[{\"metric\":{},\"value\":[0,\"" + v + "\"]}]";
    }

    /** Cumulative buckets in seconds, as sum by (le) (increase(..._bucket[...])) gives them. */
    private static String histogram(double... counts) {
        String[] les = {"0.05", "0.1", "0.25", "+Inf"};
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < les.length; i++) {
            if (i > 0) b.append(',');
            b.append("{\"metric\":{\"le\":\"").append(les[i]).append("\"},\"value\":[0,\"").append(counts[i]).append("\"]}");
        }
        return b.append(']').toString();
    }

    private static AnalysisTemplate.Metric metric(Provider provider) {
        return new AnalysisTemplate.Metric("judge", null, null, null, null, null, 0, 0, 4, 0, provider);
    }

    private static RunContext ctx() {
        return new RunContext("web", null, "stablehash", "canaryhash", Map.of("job", "web"), null);
    }

    private static MetricResult.Measurement measure(Providers providers, AnalysisTemplate.Metric metric) {
        return AnalysisRun.measureOnce(providers, metric, ctx(), Instant.EPOCH);
    }

    @Test
    void theErrorRateJudgeFailsACanaryThatErrsMoreThanStableByTheRunningTotals() throws Exception {
        Map<String, Integer> looks = new ConcurrentHashMap<>();
        String address = prometheus(q -> {
            String revision = q.contains("canaryhash") ? "canary" : "stable";
            int look = q.contains("5..") ? looks.getOrDefault(revision, 0) : looks.merge(revision, 1, Integer::sum);
            double requests = 200.0 * look;
            return number(q.contains("5..") ? (revision.equals("canary") ? requests * 0.2 : 0) : requests);
        });
        var queries = new Provider.JudgeQueries(address, "sum(http_requests_total{job=\"{{args.job}}\",pod_template_hash=\"{{revision}}\"})",
                "sum(http_requests_total{job=\"{{args.job}}\",pod_template_hash=\"{{revision}}\",code=~\"5..\"})", null, Duration.ofSeconds(5));
        var metric = metric(new Provider.Judge("errorRate", 0.25, 0.01, Duration.ofSeconds(60), queries));
        Providers providers = new Providers();
        MetricResult.Measurement m = measure(providers, metric);
        for (int i = 0; i < 10 && m.phase() == AnalysisPhase.SUCCESSFUL; i++) m = measure(providers, metric);
        assertThat(m.phase()).as(m.toString()).isEqualTo(AnalysisPhase.FAILED);
        assertThat(m.value()).asString().contains("verdict=Fail");
        assertThat(asked).contains("sum(http_requests_total{job=\"web\",pod_template_hash=\"canaryhash\",code=~\"5..\"})");
    }

    @Test
    void theLatencyJudgeReadsEachRevisionsHistogramOverItsWindow() throws Exception {
        double[] stable = {800, 950, 1000, 1000};
        double[][] canary = {stable};
        String address = prometheus(q -> histogram(q.contains("canaryhash") ? canary[0] : stable));
        var queries = new Provider.JudgeQueries(address, null, null,
                "sum by (le) (increase(http_request_duration_seconds_bucket{pod_template_hash=\"{{revision}}\"}[{{window}}]))",
                Duration.ofSeconds(5));
        var metric = metric(new Provider.Judge("latency", 0.25, 0.01, Duration.ofSeconds(90), queries));

        MetricResult.Measurement same = measure(new Providers(), metric);
        assertThat(same.phase()).as(same.toString()).isEqualTo(AnalysisPhase.SUCCESSFUL);
        assertThat(asked).contains("sum by (le) (increase(http_request_duration_seconds_bucket{pod_template_hash=\"canaryhash\"}[90s]))");

        canary[0] = new double[] {100, 500, 990, 1000};
        MetricResult.Measurement slower = measure(new Providers(), metric);
        assertThat(slower.phase()).as(slower.toString()).isEqualTo(AnalysisPhase.FAILED);
        assertThat(slower.value()).asString().contains("verdict=Fail").contains("stableMedianMs=25.0");
    }

    @Test
    void aLatencyQueryWithoutBucketsIsAnErrorThatSaysSo() throws Exception {
        String address = prometheus(q -> number(12));
        var queries = new Provider.JudgeQueries(address, null, null, "sum(rate(x[1m]))", Duration.ofSeconds(5));
        MetricResult.Measurement m = measure(new Providers(), metric(new Provider.Judge("latency", 0.25, 0.01, Duration.ofSeconds(60), queries)));
        assertThat(m.phase()).isEqualTo(AnalysisPhase.ERROR);
        assertThat(m.message()).isEqualTo("IOException: the latency query's samples need an le label (sum by (le) (...)): sum(rate(x[1m]))");
    }
}
