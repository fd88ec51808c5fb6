package dev.rollgate.analysis.run;

import dev.rollgate.analysis.HistogramSample;
import dev.rollgate.analysis.MetricSource;
import dev.rollgate.spec.AnalysisTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The judge's numbers from Prometheus, by the queries the template gives ({@code {{revision}}} is
 * the revision's template hash, {@code {{window}}} the judge's window as a PromQL duration): each
 * revision's running request and error totals for the error-rate test, and its latency histogram
 * over the window for the rank test. Windows of the {@code builtin} provider are the embedded
 * proxy's only.
 */
final class PrometheusMetrics implements MetricSource {

    private final AnalysisTemplate.Provider.JudgeQueries queries;
    private final Map<String, String> args;

    PrometheusMetrics(AnalysisTemplate.Provider.JudgeQueries queries, Map<String, String> args) {
        this.queries = queries;
        this.args = args;
    }

    @Override
    public Totals totals(String revision) {
        return read(() -> new Totals(Math.round(number(queries.requests(), revision, null)),
                Math.round(number(queries.errors(), revision, null))));
    }

    @Override
    public Window window(String revision, Duration window) {
        throw new UnsupportedOperationException("a window's numbers come from Rollgate's own proxy; on Kubernetes use a prometheus metric");
    }

    /** The histogram query's samples by {@code le}, read as {@link HistogramSample} does. */
    @Override
    public double[] latencySample(String revision, Duration window, int max) {
        return read(() -> {
            List<HistogramSample.Bucket> buckets = new ArrayList<>();
            String query = expand(queries.latency(), revision, window);
            for (PrometheusQuery.Sample s : PrometheusQuery.vector(address(revision), query, queries.timeout())) {
                String le = s.labels().get("le");
                if (le == null) throw new IOException("the latency query's samples need an le label (sum by (le) (...)): " + query);
                buckets.add(new HistogramSample.Bucket(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), s.value()));
            }
            return HistogramSample.of(buckets, max);
        });
    }

    private double number(String query, String revision, Duration window) throws IOException, InterruptedException {
        return PrometheusQuery.number(address(revision), expand(query, revision, window), queries.timeout());
    }

    private String address(String revision) {
        return expand(queries.address(), revision, null);
    }

    /** {@code {{revision}}}, {@code {{window}}} and the run's {@code {{args.NAME}}}. */
    private String expand(String text, String revision, Duration window) {
        String t = text.replace("{{revision}}", revision);
        if (window != null) t = t.replace("{{window}}", window.toSeconds() + "s");
        return AnalysisTemplate.expand(t, args);
    }

    private interface Query<T> {
        T run() throws IOException, InterruptedException;
    }

    private static <T> T read(Query<T> query) {
        try {
            return query.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
