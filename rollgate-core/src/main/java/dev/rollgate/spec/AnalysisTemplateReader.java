package dev.rollgate.spec;

import com.jayway.jsonpath.JsonPath;
import dev.rollgate.analysis.MetricCondition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;

/** Turns a shape-checked AnalysisTemplate document into a record, checking conditions and argument references. */
final class AnalysisTemplateReader {

    private AnalysisTemplateReader() {}

    /** Returns the template, or null after adding its errors to {@code errors}. */
    static AnalysisTemplate read(CheckedObject doc, List<SpecError> errors) {
        int before = errors.size();
        CheckedObject spec = doc.obj("spec");
        List<AnalysisTemplate.Arg> args = spec.objs("args").stream().map(a -> new AnalysisTemplate.Arg(a.string("name"), a.string("value"))).toList();
        Set<String> argNames = new HashSet<>();
        args.forEach(a -> argNames.add(a.name()));
        List<AnalysisTemplate.Metric> metrics = new ArrayList<>();
        Set<String> metricNames = new HashSet<>();
        for (CheckedObject m : spec.objs("metrics")) {
            if (!metricNames.add(m.string("name"))) error(errors, m, "name", "duplicate metric name \"" + m.string("name") + "\"");
            for (String field : List.of("successCondition", "failureCondition")) {
                if (!m.has(field)) continue;
                checkArgs(m, field, argNames, errors);
                try {
                    // Arguments are filled in before a measurement is judged; any number stands in for them here.
                    MetricCondition.of(AnalysisTemplate.ARG_REF.matcher(m.string(field)).replaceAll("0"));
                } catch (IllegalArgumentException e) {
                    error(errors, m, field, e.getMessage());
                }
            }
            if (m.optionalInteger("count") != null && m.integer("count") > 1 && m.duration("interval") == null) {
                error(errors, m, "count", "more than one measurement needs an interval");
            }
            AnalysisTemplate.Provider provider = provider(m.obj("provider"), argNames, errors);
            metrics.add(new AnalysisTemplate.Metric(m.string("name"), m.duration("interval"), m.duration("initialDelay"),
                    m.optionalInteger("count"), m.string("successCondition"), m.string("failureCondition"), m.integer("failureLimit"),
                    m.integer("inconclusiveLimit"), m.integer("consecutiveErrorLimit"), m.integer("consecutiveSuccessLimit"), provider));
        }
        List<String> dryRun = new ArrayList<>();
        for (CheckedObject d : spec.objs("dryRun")) {
            if (!metricNames.contains(d.string("metricName"))) {
                error(errors, d, "metricName", "no metric named \"" + d.string("metricName") + "\" in this template");
            }
            dryRun.add(d.string("metricName"));
        }
        AnalysisTemplate t = new AnalysisTemplate(doc.obj("metadata").string("name"), args, dryRun, metrics);
        return errors.size() == before ? t : null;
    }

    private static AnalysisTemplate.Provider provider(CheckedObject p, Set<String> argNames, List<SpecError> errors) {
        if (p.has("builtin")) {
            CheckedObject b = p.obj("builtin");
            return new AnalysisTemplate.Provider.Builtin(b.string("metric"), b.string("revision"), b.duration("window"));
        }
        if (p.has("prometheus")) {
            CheckedObject q = p.obj("prometheus");
            checkArgs(q, "query", argNames, errors);
            checkArgs(q, "address", argNames, errors);
            return new AnalysisTemplate.Provider.Prometheus(q.string("address"), q.string("query"), q.duration("timeout"));
        }
        if (p.has("web")) {
            CheckedObject w = p.obj("web");
            checkArgs(w, "url", argNames, errors);
            if (w.has("body")) checkArgs(w, "body", argNames, errors);
            if (w.has("jsonPath")) {
                try {
                    JsonPath.compile(w.string("jsonPath"));
                } catch (RuntimeException e) {
                    error(errors, w, "jsonPath", "not a valid JSONPath: " + e.getMessage());
                }
            }
            List<AnalysisTemplate.Provider.Header> headers = w.objs("headers").stream()
                    .map(h -> new AnalysisTemplate.Provider.Header(h.string("key"), h.string("value"))).toList();
            return new AnalysisTemplate.Provider.Web(w.string("url"), w.string("method"), headers, w.string("body"),
                    w.string("jsonPath"), w.integer("timeoutSeconds"));
        }
        if (p.has("load")) {
            CheckedObject l = p.obj("load");
            Duration d = l.duration("duration");
            if (d != null && (d.isNegative() || d.isZero() || d.compareTo(Duration.ofHours(1)) > 0)) {
                error(errors, l, "duration", "must be more than 0 and at most 1h");
            }
            List<String> requests = l.has("requests") ? l.strings("requests") : l.has("urlFile") ? List.of() : List.of("GET /");
            List<String> revisions = l.has("revisions") ? l.strings("revisions").stream().distinct().toList() : List.of("canary", "stable");
            return new AnalysisTemplate.Provider.Load(revisions, l.number("rate"), d, requests, l.string("urlFile"));
        }
        if (p.has("job")) {
            CheckedObject j = p.obj("job");
            for (String arg : j.strings("command")) checkText(j, "command", arg, argNames, errors);
            return new AnalysisTemplate.Provider.Job(j.strings("command"), j.integer("timeoutSeconds"));
        }
        CheckedObject j = p.obj("judge");
        CheckedObject q = j.obj("prometheus");
        AnalysisTemplate.Provider.JudgeQueries queries = null;
        if (q != null) {
            List<String> needed = j.string("metric").equals("latency") ? List.of("latency") : List.of("requests", "errors");
            for (String field : needed) {
                if (!q.has(field)) error(errors, q, field, "required for the " + j.string("metric") + " judge");
            }
            queries = new AnalysisTemplate.Provider.JudgeQueries(q.string("address"), q.string("requests"), q.string("errors"),
                    q.string("latency"), q.duration("timeout"));
        }
        if (q != null && j.string("metric").equals("mirror")) error(errors, j, "prometheus", "the mirror judge reads Rollgate's own proxy; it takes no queries");
        return new AnalysisTemplate.Provider.Judge(j.string("metric"), j.number("tolerance"), j.number("alpha"), j.duration("window"), queries,
                j.number("maxDifferent"));
    }

    private static void checkArgs(CheckedObject o, String field, Set<String> argNames, List<SpecError> errors) {
        checkText(o, field, o.string(field), argNames, errors);
    }

    private static void checkText(CheckedObject o, String field, String text, Set<String> argNames, List<SpecError> errors) {
        Matcher m = AnalysisTemplate.ARG_REF.matcher(text);
        while (m.find()) {
            if (!argNames.contains(m.group(1))) {
                error(errors, o, field, "refers to {{args." + m.group(1) + "}} but the template declares no such argument"
                        + (argNames.isEmpty() ? "" : " (declared: " + argNames + ")"));
            }
        }
    }

    private static void error(List<SpecError> errors, CheckedObject o, String field, String message) {
        errors.add(new SpecError(o.path(field), o.line(field), message));
    }
}
