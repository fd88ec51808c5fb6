package dev.rollgate.spec;

import static dev.rollgate.spec.Shapes.MAX_SECONDS;
import static dev.rollgate.spec.Shapes.atLeast;
import static dev.rollgate.spec.Shapes.between;
import static dev.rollgate.spec.Shapes.concat;
import static dev.rollgate.spec.Shapes.field;
import static dev.rollgate.spec.Shapes.nonEmpty;
import static dev.rollgate.spec.Shapes.oneOfValues;
import static dev.rollgate.spec.Shapes.text;
import static dev.rollgate.spec.TemplateSchema.ARGV;

import dev.rollgate.spec.Shape.DurationShape;
import dev.rollgate.spec.Shape.Field;
import dev.rollgate.spec.Shape.IntShape;
import dev.rollgate.spec.Shape.ListShape;
import dev.rollgate.spec.Shape.NumberShape;
import dev.rollgate.spec.Shape.ObjectShape;
import dev.rollgate.spec.Shape.OneOf;
import dev.rollgate.spec.Shape.StringShape;
import java.time.Duration;
import java.util.List;

/** The shape of analysis: the runs a rollout starts, and AnalysisTemplates' metrics and providers. */
final class AnalysisSchema {

    private AnalysisSchema() {}

    static final ObjectShape ANALYSIS_ARG = new ObjectShape("A value for a template argument.",
            List.of(field("name", nonEmpty("The argument's name.")).required(true),
                    field("value", text("Its value.")),
                    field("valueFrom", new ObjectShape("Where the value comes from.",
                            List.of(field("podTemplateHashValue", oneOfValues(
                                    "The template hash of the stable revision (Stable) or of the new one (Latest), as the proxy's revision label.",
                                    "Stable", "Latest")).required(true)), List.of()))),
            List.of(new OneOf(List.of("value", "valueFrom"), true)));

    static final ObjectShape TEMPLATE_REF = new ObjectShape("An AnalysisTemplate in the same file.",
            List.of(field("templateName", nonEmpty("The template's metadata.name.")).required(true)), List.of());

    static final List<Field> ANALYSIS_FIELDS = List.of(
            field("templates", new ListShape("Templates run together as one analysis run.", TEMPLATE_REF, 1)).required(true),
            field("args", new ListShape("Values for the templates' arguments.", ANALYSIS_ARG, 0)));

    static final ObjectShape ANALYSIS = new ObjectShape("An analysis run from AnalysisTemplates.", ANALYSIS_FIELDS, List.of());

    static final ObjectShape BACKGROUND_ANALYSIS = new ObjectShape(
            "Analysis that runs beside the steps until the rollout completes; Failed or Error aborts, Inconclusive pauses.",
            concat(ANALYSIS_FIELDS, List.of(field("startingStep", atLeast(0, "The step index from which it runs.")).withDefault(0))),
            List.of());

    static final ObjectShape PROVIDER = new ObjectShape("Where a measurement comes from.",
            List.of(field("builtin", new ObjectShape("The proxy's own numbers for one revision.",
                            List.of(field("metric", oneOfValues("successRate and errorRate count socket errors as failures; p* are milliseconds.",
                                            "successRate", "errorRate", "requestRate", "requests", "p50", "p90", "p99", "p999")).required(true),
                                    field("revision", oneOfValues("Which revision.", "canary", "stable")).withDefault("canary"),
                                    field("window", new DurationShape("How far back.")).withDefault(Duration.ofSeconds(60))),
                            List.of())),
                    field("prometheus", new ObjectShape("An instant PromQL query.",
                            List.of(field("address", nonEmpty("Prometheus' base URL, e.g. http://127.0.0.1:9090.")).required(true),
                                    field("query", nonEmpty("PromQL; {{args.NAME}} is replaced.")).required(true),
                                    field("timeout", new DurationShape("Request timeout.")).withDefault(Duration.ofSeconds(10))),
                            List.of())),
                    field("web", new ObjectShape("An HTTP request answered with JSON.",
                            List.of(field("url", nonEmpty("URL; {{args.NAME}} is replaced.")).required(true),
                                    field("method", oneOfValues("Method.", "GET", "POST", "PUT")).withDefault("GET"),
                                    field("headers", new ListShape("Request headers.", new ObjectShape("A header.",
                                            List.of(field("key", nonEmpty("Name.")).required(true), field("value", text("Value.")).required(true)),
                                            List.of()), 0)),
                                    field("body", text("Request body.")),
                                    field("jsonPath", nonEmpty("JSONPath of the result in the answer, e.g. $.data.ok (default: the whole answer).")),
                                    field("timeoutSeconds", between(1, MAX_SECONDS, "Request timeout.")).withDefault(10)),
                            List.of())),
                    field("job", new ObjectShape("A command; exit status 0 is Successful.",
                            List.of(field("command", ARGV).required(true),
                                    field("timeoutSeconds", between(1, MAX_SECONDS, "Killed (Error) after this.")).withDefault(60)),
                            List.of())),
                    field("judge", new ObjectShape("Canary against stable over the same time (Rollgate's canary judge).",
                            List.of(field("metric", oneOfValues("errorRate: sequential test; latency: rank test; mirror: the pairs of a"
                                            + " setMirrorRoute (failures by the sequential test, latency by the rank test, differences by maxDifferent).",
                                            "errorRate", "latency", "mirror")).required(true),
                                    field("maxDifferent", new NumberShape("mirror: the share of pairs that may differ (status class, or body"
                                            + " and headers when compared), once 100 pairs are in.", 0, 1)).withDefault(0.01),
                                    field("tolerance", new NumberShape("Allowed relative increase before it counts (0.25 = 25 %).", 0, 100))
                                            .withDefault(0.25),
                                    field("alpha", new NumberShape("Chance of failing a canary that is no worse.", 1e-9, 0.5)).withDefault(0.01),
                                    field("window", new DurationShape("latency: how far back.")).withDefault(Duration.ofSeconds(60)),
                                    field("prometheus", new ObjectShape("On Kubernetes: each revision's numbers from Prometheus ({{revision}} is its template hash).",
                                            List.of(field("address", nonEmpty("Prometheus' base URL.")).required(true),
                                                    field("requests", nonEmpty("errorRate: PromQL for a revision's requests so far.")),
                                                    field("errors", nonEmpty("errorRate: PromQL for a revision's errors so far.")),
                                                    field("latency", nonEmpty("latency: PromQL for a revision's latency histogram over {{window}}, by le,"
                                                            + " in seconds, e.g. sum by (le) (increase(http_request_duration_seconds_bucket{...}[{{window}}])).")),
                                                    field("timeout", new DurationShape("Request timeout.")).withDefault(Duration.ofSeconds(10))),
                                            List.of()))),
                            List.of())),
                    field("load", new ObjectShape("Rollgate's own load at the revisions through the service's proxy, so a quiet service's judge has"
                            + " requests to decide on; each request carries the header X-Rollgate-Load. The embedded platform only.",
                            List.of(field("revisions", new ListShape("Which revisions get the load (default: canary and stable).",
                                            oneOfValues("A revision.", "canary", "stable"), 1)),
                                    field("rate", new NumberShape("Requests a second to each revision.", 0.1, 1000)).withDefault(10.0),
                                    field("duration", new DurationShape("How long, at most 1h.")).required(true),
                                    field("requests", new ListShape("Requests sent in turn: \"GET /path\" or \"HEAD /path\" (default: GET /).",
                                            new StringShape("A request.", true, "((GET|HEAD) )?/[^\\s]*", "be \"GET /path\" or \"HEAD /path\"",
                                                    List.of()), 1)),
                                    field("urlFile", nonEmpty("A file of paths, one a line (# comments), relative to the spec's directory;"
                                            + " sent as GET in turn."))),
                            List.of(new OneOf(List.of("requests", "urlFile"), false))))),
            List.of(new OneOf(List.of("builtin", "prometheus", "web", "job", "judge", "load"), true)));

    static final ObjectShape METRIC = new ObjectShape("One metric of an AnalysisTemplate (Argo Rollouts' fields and rules).",
            List.of(field("name", nonEmpty("The metric's name.")).required(true),
                    field("interval", new DurationShape("Time between measurements.")),
                    field("initialDelay", new DurationShape("Wait before the first measurement.")),
                    field("count", atLeast(1, "Number of measurements (default: 1 without interval, unbounded with one).")),
                    field("successCondition", nonEmpty("An expression over result, e.g. result >= 0.95 or result[0] < 0.5.")),
                    field("failureCondition", nonEmpty("An expression over result; true makes the measurement Failed.")),
                    field("failureLimit", new IntShape("Failed measurements allowed (-1: any).", -1, Integer.MAX_VALUE)).withDefault(0),
                    field("inconclusiveLimit", atLeast(0, "Inconclusive measurements allowed.")).withDefault(0),
                    field("consecutiveErrorLimit", atLeast(0, "Consecutive Error measurements allowed."))
                            .withDefault(AnalysisTemplate.Metric.DEFAULT_CONSECUTIVE_ERROR_LIMIT),
                    field("consecutiveSuccessLimit", atLeast(0, "Consecutive successes that end the metric Successful (0: off).")).withDefault(0),
                    field("provider", PROVIDER).required(true)),
            List.of());

    static final ObjectShape TEMPLATE_SPEC = new ObjectShape("What the analysis measures.",
            List.of(field("args", new ListShape("Declared arguments.", new ObjectShape("An argument.",
                            List.of(field("name", nonEmpty("Name, used as {{args.NAME}}.")).required(true),
                                    field("value", text("Default value."))), List.of()), 0)),
                    field("dryRun", new ListShape("Metrics measured but never failing the run.", new ObjectShape("A dry-run metric.",
                            List.of(field("metricName", nonEmpty("The metric's name.")).required(true)), List.of()), 0)),
                    field("metrics", new ListShape("The metrics.", METRIC, 1)).required(true)),
            List.of());
}
