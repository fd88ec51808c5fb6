package dev.rollgate.analysis.run;

import dev.rollgate.analysis.MetricSource;
import dev.rollgate.spec.AnalysisTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The errorRate judge's numbers from Prometheus: each revision's running request and error
 * totals by the two queries the template gives ({@code {{revision}}} is the revision's template
 * hash). Windows and latency samples are the embedded proxy's only.
 */
final class PrometheusTotals implements MetricSource {

    private final AnalysisTemplate.Provider.JudgeQueries queries;
    private final Map<String, String> args;

    PrometheusTotals(AnalysisTemplate.Provider.JudgeQueries queries, Map<String, String> args) {
        this.queries = queries;
        this.args = args;
    }

    @Override
    public Totals totals(String revision) {
        Map<String, String> a = new HashMap<>(args);
        a.put("revision", revision);
        try {
            String address = AnalysisTemplate.expand(queries.address(), a);
            long requests = Math.round(PrometheusQuery.number(address, expand(queries.requests(), a), queries.timeout()));
            long errors = Math.round(PrometheusQuery.number(address, expand(queries.errors(), a), queries.timeout()));
            return new Totals(requests, errors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** {@code {{revision}}} and the run's {@code {{args.NAME}}}. */
    private static String expand(String query, Map<String, String> a) {
        return AnalysisTemplate.expand(query.replace("{{revision}}", a.get("revision")), a);
    }

    @Override
    public Window window(String revision, Duration window) {
        throw new UnsupportedOperationException("a window's numbers come from Rollgate's own proxy; on Kubernetes use a prometheus metric");
    }

    @Override
    public double[] latencySample(String revision, Duration window, int max) {
        throw new UnsupportedOperationException("the latency judge reads Rollgate's own proxy; on Kubernetes use a prometheus metric");
    }
}
