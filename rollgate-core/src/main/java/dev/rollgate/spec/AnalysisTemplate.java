package dev.rollgate.spec;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An {@code AnalysisTemplate} document: metrics measured while a rollout runs, with Argo
 * Rollouts' fields and rules.
 *
 * @param args   declared arguments; one without a value must be given by the rollout
 * @param dryRun names of metrics that are measured and shown but never fail the run
 */
public record AnalysisTemplate(String name, List<Arg> args, List<String> dryRun, List<Metric> metrics) {

    public static final String KIND = "AnalysisTemplate";

    /** {@code {{args.NAME}}} in a query, URL, body or command. */
    public static final Pattern ARG_REF = Pattern.compile("\\{\\{\\s*args\\.([A-Za-z0-9_.-]+)\\s*}}");

    /** {@code text} with every {@code {{args.NAME}}} replaced by its value. */
    public static String expand(String text, Map<String, String> values) {
        Matcher m = ARG_REF.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) m.appendReplacement(b, Matcher.quoteReplacement(values.getOrDefault(m.group(1), m.group())));
        m.appendTail(b);
        return b.toString();
    }

    public record Arg(String name, String value) {}

    /**
     * One measured metric. {@code count} null: one measurement without an interval, or unbounded
     * (until the run is stopped) with one.
     */
    public record Metric(String name, Duration interval, Duration initialDelay, Integer count, String successCondition,
                         String failureCondition, int failureLimit, int inconclusiveLimit, int consecutiveErrorLimit,
                         int consecutiveSuccessLimit, Provider provider) {

        public static final int DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;

        /** Argo's effective count: 1 without an interval, unbounded (null) with one and no count. */
        public Integer effectiveCount() {
            if (count != null) return count;
            return interval == null ? 1 : null;
        }
    }

    /** Where a measurement comes from. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({@JsonSubTypes.Type(value = Provider.Builtin.class, name = "builtin"),
            @JsonSubTypes.Type(value = Provider.Prometheus.class, name = "prometheus"),
            @JsonSubTypes.Type(value = Provider.Web.class, name = "web"),
            @JsonSubTypes.Type(value = Provider.Job.class, name = "job"),
            @JsonSubTypes.Type(value = Provider.Judge.class, name = "judge"),
            @JsonSubTypes.Type(value = Provider.Load.class, name = "load")})
    public sealed interface Provider {

        /** The proxy's own numbers for one revision ({@code canary} or {@code stable}) over a window. */
        record Builtin(String metric, String revision, Duration window) implements Provider {}

        /** An instant PromQL query against a Prometheus server's HTTP API. */
        record Prometheus(String address, String query, Duration timeout) implements Provider {}

        /** An HTTP request whose JSON answer is read at {@code jsonPath} (the whole body without one). */
        record Web(String url, String method, List<Header> headers, String body, String jsonPath, int timeoutSeconds)
                implements Provider {}

        /** A command; exit status 0 is Successful, anything else Failed. */
        record Job(List<String> command, int timeoutSeconds) implements Provider {}

        /**
         * Canary against stable over the same time: {@code errorRate} by a sequential test that may be
         * checked at any moment, {@code latency} by a rank test with an effect-size tolerance.
         * {@code prometheus}: where the judge reads each revision's numbers when the platform has none
         * of its own (Kubernetes); null: the embedded proxy's. {@code mirror}: the pairs of a
         * setMirrorRoute, failures and latency as above, and at most {@code maxDifferent} of them different.
         */
        record Judge(String metric, double tolerance, double alpha, Duration window, JudgeQueries prometheus, double maxDifferent)
                implements Provider {
            public Judge(String metric, double tolerance, double alpha, Duration window, JudgeQueries prometheus) {
                this(metric, tolerance, alpha, window, prometheus, 0.01);
            }

            public Judge(String metric, double tolerance, double alpha, Duration window) {
                this(metric, tolerance, alpha, window, null);
            }
        }

        /**
         * Instant queries for one revision ({@code {{revision}}} is its template hash): its running
         * request and error totals (errorRate), or its latency histogram over {@code {{window}}} by
         * {@code le}, in seconds (latency).
         */
        record JudgeQueries(String address, String requests, String errors, String latency, Duration timeout) {}

        /**
         * Rollgate's own load at the revisions through the service's proxy, so that a quiet service's
         * judge has requests to decide on: {@code rate} requests a second to each revision for
         * {@code duration}, in turn from {@code requests} ("GET /path") or the paths of {@code urlFile}
         * (relative to the spec's directory). Each request carries {@code X-Rollgate-Load}, so the
         * service can tell it apart. Successful once sent, unless conditions say otherwise.
         */
        record Load(List<String> revisions, double rate, Duration duration, List<String> requests, String urlFile) implements Provider {}

        record Header(String key, String value) {}
    }
}
