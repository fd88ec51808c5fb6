package dev.rollgate.analysis.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.jayway.jsonpath.JsonPath;
import dev.rollgate.analysis.AnalysisPhase;
import dev.rollgate.analysis.MannWhitney;
import dev.rollgate.analysis.MetricSource;
import dev.rollgate.analysis.SequentialErrorRatio;
import dev.rollgate.http.BoundedHttp;
import dev.rollgate.spec.AnalysisTemplate.Provider;
import dev.rollgate.spec.AnalysisTemplate;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Takes one measurement from a metric's provider: builtin, prometheus, web, job (by the platform's {@link JobRunner}) or judge. */
final class Providers {

    /** A measurement's answer or output is read up to this many bytes (the end of a job's output). */
    static final int MAX_ANSWER = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A judge's state lives as long as its metric in one run: the sequential test sums over the run. */
    private SequentialErrorRatio.State errorTest;
    private MetricSource.Totals lastCanary, lastStable;
    /** A bake's "stable": the previous revision's numbers frozen at this metric's first look. */
    private Baseline baseline;
    private boolean bakeFailed;

    Reading measure(AnalysisTemplate.Metric metric, RunContext ctx) throws Exception {
        return switch (metric.provider()) {
            case Provider.Builtin b -> Reading.value(builtin(b, ctx, baseline(metrics(ctx), ctx)));
            case Provider.Prometheus p -> Reading.value(prometheus(p, ctx));
            case Provider.Web w -> Reading.value(web(w, ctx));
            case Provider.Job j -> job(j, ctx);
            case Provider.Judge j -> judge(j, ctx, metric.successCondition() == null && metric.failureCondition() == null);
            case Provider.Load l -> LoadProvider.drive(l, ctx, metric.successCondition() == null && metric.failureCondition() == null);
        };
    }

    /** The frozen baseline of a bake's run (taken at the first look), or null for any other run. */
    private Baseline baseline(MetricSource source, RunContext ctx) {
        if (ctx.bake() && baseline == null) baseline = Baseline.of(source, ctx.stableRevision());
        return baseline;
    }

    private static double builtin(Provider.Builtin b, RunContext ctx, Baseline baseline) {
        boolean stable = b.revision().equals("stable");
        String revision = stable ? ctx.stableRevision() : ctx.canaryRevision();
        Duration window = b.window().toSeconds() < 1 ? Duration.ofSeconds(1) : b.window();
        MetricSource.Window w = stable && baseline != null ? baseline.window() : ctx.metrics().window(revision, window);
        return switch (b.metric()) {
            case "successRate" -> w.successRate();
            case "errorRate" -> 1 - w.successRate();
            case "requestRate" -> (double) w.requests() / window.toSeconds();
            case "requests" -> (double) w.requests();
            case "p50" -> w.p50();
            case "p90" -> w.p90();
            case "p99" -> w.p99();
            default -> w.p999();
        };
    }

    /** An instant query: a vector gives a list of its values, a scalar a number. */
    private static Object prometheus(Provider.Prometheus p, RunContext ctx) throws IOException, InterruptedException {
        return PrometheusQuery.instant(AnalysisTemplate.expand(p.address(), ctx.args()), AnalysisTemplate.expand(p.query(), ctx.args()),
                p.timeout());
    }

    private static Object web(Provider.Web w, RunContext ctx) throws IOException, InterruptedException {
        URI uri = URI.create(AnalysisTemplate.expand(w.url(), ctx.args()));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(w.timeoutSeconds()));
        for (Provider.Header h : w.headers()) b.header(h.key(), AnalysisTemplate.expand(h.value(), ctx.args()));
        String body = w.body() == null ? null : AnalysisTemplate.expand(w.body(), ctx.args());
        b.method(w.method(), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        BoundedHttp.Answer r = BoundedHttp.exchange(b.build(), Duration.ofSeconds(w.timeoutSeconds()), MAX_ANSWER);
        if (r.status() / 100 != 2) throw new IOException(w.method() + " " + uri + " answered " + r.status());
        if (w.jsonPath() == null) return JSON.readValue(r.body(), Object.class);
        return JsonPath.read(r.body(), w.jsonPath());
    }

    private static Reading job(Provider.Job j, RunContext ctx) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        j.command().forEach(a -> argv.add(AnalysisTemplate.expand(a, ctx.args())));
        return ctx.jobs().run(j, argv);
    }

    /**
     * Canary against stable, by the platform's numbers or Prometheus'. errorRate: the sequential test
     * over everything since the run began; latency: the rank test over the window. Without
     * conditions, its verdict is the outcome.
     */
    private Reading judge(Provider.Judge j, RunContext ctx, boolean verdictDecides) {
        if (j.metric().equals("mirror")) return mirror(j, metrics(ctx), ctx, verdictDecides);
        Map<String, Object> value = new LinkedHashMap<>();
        boolean fail;
        MetricSource source = j.prometheus() == null ? metrics(ctx) : new PrometheusMetrics(j.prometheus(), ctx.args());
        Baseline frozen = baseline(source, ctx);
        if (j.metric().equals("errorRate") && frozen != null) {
            // The previous revision serves nothing now: the canary's counts since the first look against its frozen ones.
            long baselineErrors = frozen.errors();
            MetricSource.Totals c = source.totals(ctx.canaryRevision());
            if (lastCanary == null) lastCanary = c;
            errorTest = SequentialErrorRatio.update(SequentialErrorRatio.start(j.tolerance()), c.requests() - lastCanary.requests(),
                    c.errors() - lastCanary.errors(), frozen.window().requests(), baselineErrors, j.alpha());
            bakeFailed |= errorTest.rejected();
            fail = bakeFailed;
            value.put("verdict", fail ? "Fail" : "Pass");
            value.put("canaryRequests", errorTest.canaryRequests());
            value.put("canaryErrors", errorTest.canaryErrors());
            value.put("baselineRequests", errorTest.stableRequests());
            value.put("baselineErrors", errorTest.stableErrors());
            value.put("evidence", Math.exp(Math.min(SequentialErrorRatio.evidence(errorTest), 700)));
        } else if (j.metric().equals("errorRate")) {
            MetricSource.Totals c = source.totals(ctx.canaryRevision()), s = source.totals(ctx.stableRevision());
            if (errorTest == null) { // the first look only sets where the run's counts start
                errorTest = SequentialErrorRatio.start(j.tolerance());
                lastCanary = c;
                lastStable = s;
            } else if (c.requests() > lastCanary.requests() && s.requests() > lastStable.requests()) {
                // An interval counts once both revisions had requests in it; until then it grows, so that at
                // a request a second the errors of a look where only one revision was asked are not lost.
                errorTest = SequentialErrorRatio.update(errorTest, c.requests() - lastCanary.requests(), c.errors() - lastCanary.errors(),
                        s.requests() - lastStable.requests(), s.errors() - lastStable.errors(), j.alpha());
                lastCanary = c;
                lastStable = s;
            }
            fail = errorTest.rejected();
            value.put("verdict", fail ? "Fail" : "Pass");
            value.put("canaryRequests", errorTest.canaryRequests());
            value.put("canaryErrors", errorTest.canaryErrors());
            value.put("stableRequests", errorTest.stableRequests());
            value.put("stableErrors", errorTest.stableErrors());
            value.put("evidence", Math.exp(Math.min(SequentialErrorRatio.evidence(errorTest), 700)));
        } else {
            double[] stable = frozen != null ? frozen.latency() : source.latencySample(ctx.stableRevision(), j.window(), 2000);
            MannWhitney.Result r = MannWhitney.compare(source.latencySample(ctx.canaryRevision(), j.window(), 2000), stable,
                    j.tolerance(), j.alpha());
            fail = r.verdict() == MannWhitney.Verdict.HIGH;
            value.put("verdict", r.verdict() == MannWhitney.Verdict.HIGH ? "Fail" : r.verdict() == MannWhitney.Verdict.PASS ? "Pass" : "NoData");
            value.put("pValue", r.pValue());
            value.put("shiftMs", r.shift());
            value.put("stableMedianMs", r.stableMedian());
            value.put("canarySamples", r.canaryN());
            value.put("stableSamples", r.stableN());
        }
        if (!verdictDecides) return Reading.value(value);
        return new Reading(value, fail ? AnalysisPhase.FAILED : AnalysisPhase.SUCCESSFUL, "");
    }

    /** At least this many pairs before a share of different ones can fail the canary. */
    static final int MIN_PAIRS_FOR_DIFFERENCES = 100;
    private MetricSource.Mirrored lastPairs;
    private long firstPairs = -1;

    private static double[] tail(double[] values, int n) {
        return Arrays.copyOfRange(values, values.length - n, values.length);
    }

    /**
     * The pairs of a mirror route since this metric's first look: the canary's failures against
     * stable's on the same requests by the sequential test, its latency by the rank test, and the
     * share of all pairs that differed.
     */
    private Reading mirror(Provider.Judge j, MetricSource source, RunContext ctx, boolean verdictDecides) {
        MetricSource.Mirrored m = source.mirrored(ctx.canaryRevision());
        if (errorTest == null) {
            errorTest = SequentialErrorRatio.start(j.tolerance());
        } else {
            long pairs = m.pairs() - lastPairs.pairs();
            errorTest = SequentialErrorRatio.update(errorTest, pairs, m.canaryErrors() - lastPairs.canaryErrors(), pairs,
                    m.stableErrors() - lastPairs.stableErrors(), j.alpha());
        }
        if (firstPairs < 0) firstPairs = m.pairs();
        lastPairs = m;
        // Latency over the pairs since the first look only: initialDelay keeps a cold canary's first answers out.
        int recent = (int) Math.min(m.pairs() - firstPairs, m.canaryLatencyMs().length);
        MannWhitney.Result latency = MannWhitney.compare(tail(m.canaryLatencyMs(), recent), tail(m.stableLatencyMs(), recent),
                j.tolerance(), j.alpha());
        double differentShare = m.pairs() == 0 ? 0 : (double) m.different() / m.pairs();
        boolean different = m.pairs() >= MIN_PAIRS_FOR_DIFFERENCES && differentShare > j.maxDifferent();
        boolean fail = errorTest.rejected() || latency.verdict() == MannWhitney.Verdict.HIGH || different;
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("verdict", fail ? "Fail" : m.pairs() == 0 ? "NoData" : "Pass");
        value.put("pairs", m.pairs());
        value.put("mirrored", m.mirrored());
        value.put("dropped", m.dropped());
        value.put("canaryErrors", m.canaryErrors());
        value.put("stableErrors", m.stableErrors());
        value.put("errorEvidence", Math.exp(Math.min(SequentialErrorRatio.evidence(errorTest), 700)));
        value.put("shiftMs", latency.shift());
        value.put("latencyPValue", latency.pValue());
        value.put("different", m.different());
        if (!verdictDecides) return Reading.value(value);
        // Nothing mirrored yet is no evidence either way: an Error, which only consecutiveErrorLimit of in a row tolerates.
        if (m.pairs() == 0) return new Reading(value, AnalysisPhase.ERROR, "no mirrored pair yet: does any request match the mirror route?");
        String why = !fail ? "" : errorTest.rejected() ? "the canary failed more of the mirrored requests than stable"
                : latency.verdict() == MannWhitney.Verdict.HIGH ? "the canary answered the mirrored requests slower than stable"
                : "more than " + j.maxDifferent() * 100 + " % of the pairs differed";
        return new Reading(value, fail ? AnalysisPhase.FAILED : AnalysisPhase.SUCCESSFUL, why);
    }

    /** The platform's own numbers; a platform without them (Kubernetes) says what to use instead. */
    private static MetricSource metrics(RunContext ctx) {
        if (ctx.metrics() == null) {
            throw new IllegalStateException("there are no proxy metrics on this platform: use a prometheus metric,"
                    + " or a judge with prometheus queries");
        }
        return ctx.metrics();
    }
}
