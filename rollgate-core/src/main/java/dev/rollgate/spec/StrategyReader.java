package dev.rollgate.spec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A Rollout's strategy from its shape-checked document: rolling update, recreate, canary steps and
 * blue-green, their bakes and the analysis they refer to, with the checks that span several fields.
 */
final class StrategyReader {

    private final List<SpecError> errors;
    private final Map<String, AnalysisTemplate> templates;
    private final Map<String, AnalysisTemplate> used;

    /** {@code used}: where the AnalysisTemplates the strategy refers to are put, by name. */
    StrategyReader(List<SpecError> errors, Map<String, AnalysisTemplate> templates, Map<String, AnalysisTemplate> used) {
        this.errors = errors;
        this.templates = templates;
        this.used = used;
    }

    Strategy strategy(CheckedObject s, int replicas) {
        if (s != null && s.has("canary")) return canary(s.obj("canary"));
        if (s != null && s.has("blueGreen")) return blueGreen(s.obj("blueGreen"), replicas);
        if (s == null || (!s.has("rollingUpdate") && !s.has("recreate"))) return Strategy.RollingUpdate.DEFAULT;
        if (s.has("recreate")) return new Strategy.Recreate();
        CheckedObject r = s.obj("rollingUpdate");
        IntOrPercent surge = r.has("maxSurge") ? r.intOrPercent("maxSurge") : Strategy.RollingUpdate.DEFAULT.maxSurge();
        IntOrPercent unavailable = r.has("maxUnavailable") ? r.intOrPercent("maxUnavailable") : Strategy.RollingUpdate.DEFAULT.maxUnavailable();
        if (surge.isZero() && unavailable.isZero()) {
            errors.add(new SpecError(r.path(), r.line(), "maxSurge and maxUnavailable may not both be 0; "
                    + "no replica could ever be replaced (set maxSurge: 1 to add one new replica at a time)"));
        }
        if (unavailable.percent() && unavailable.value() > 100) {
            error(r, "maxUnavailable", "must not be greater than 100%, got " + unavailable);
        }
        return new Strategy.RollingUpdate(surge, unavailable);
    }

    private Strategy.Canary canary(CheckedObject c) {
        List<CanaryStep> steps = new ArrayList<>();
        for (CheckedObject step : c.objs("steps")) {
            if (step.has("setWeight")) {
                steps.add(new CanaryStep.SetWeight(step.integer("setWeight")));
            } else if (step.has("pause")) {
                steps.add(new CanaryStep.Pause(step.obj("pause").duration("duration")));
            } else if (step.has("analysis")) {
                steps.add(new CanaryStep.Analysis(analysis(step.obj("analysis"))));
            } else if (step.has("setCanaryScale")) {
                CheckedObject sc = step.obj("setCanaryScale");
                boolean match = sc.has("matchTrafficWeight") && sc.bool("matchTrafficWeight");
                if (sc.has("matchTrafficWeight") && !match) error(sc, "matchTrafficWeight", "only true has a meaning here");
                steps.add(new CanaryStep.SetCanaryScale(sc.optionalInteger("weight"), sc.optionalInteger("replicas"), match));
            } else if (step.has("setMirrorRoute")) {
                steps.add(mirrorRoute(step.obj("setMirrorRoute"), steps));
            } else {
                CheckedObject hr = step.obj("setHeaderRoute");
                List<CanaryStep.HeaderMatch> match = new ArrayList<>();
                for (CheckedObject m : hr.objs("match")) {
                    CheckedObject v = m.obj("headerValue");
                    if (v.has("regex")) {
                        try {
                            Pattern.compile(v.string("regex"));
                        } catch (PatternSyntaxException e) {
                            error(v, "regex", "not a valid regular expression: " + e.getDescription());
                        }
                    }
                    match.add(new CanaryStep.HeaderMatch(m.string("headerName"), v.string("exact"), v.string("prefix"), v.string("regex")));
                }
                steps.add(new CanaryStep.SetHeaderRoute(hr.string("name"), match));
            }
        }
        Strategy.BackgroundAnalysis background = null;
        if (c.has("analysis")) {
            CheckedObject a = c.obj("analysis");
            if (a.integer("startingStep") > steps.size()) {
                error(a, "startingStep", "is past the last step (there are " + steps.size() + ")");
            }
            background = new Strategy.BackgroundAnalysis(analysis(a), a.integer("startingStep"));
        }
        IntOrPercent surge = c.has("maxSurge") ? c.intOrPercent("maxSurge") : Strategy.RollingUpdate.DEFAULT.maxSurge();
        IntOrPercent unavailable = c.has("maxUnavailable") ? c.intOrPercent("maxUnavailable") : Strategy.RollingUpdate.DEFAULT.maxUnavailable();
        return new Strategy.Canary(steps, surge, unavailable, background, c.integer("scaleDownDelaySeconds"),
                c.integer("abortScaleDownDelaySeconds"), c.bool("dynamicStableScale"), bake(c));
    }

    private Strategy.BlueGreen blueGreen(CheckedObject b, int replicas) {
        Handler.HttpHeader header = b.has("previewHeader")
                ? new Handler.HttpHeader(b.obj("previewHeader").string("name"), b.obj("previewHeader").string("value")) : null;
        return new Strategy.BlueGreen(b.optionalInteger("previewPort"), header, b.optionalInteger("previewReplicaCount"),
                b.bool("autoPromotionEnabled"), b.integer("autoPromotionSeconds"), b.integer("scaleDownDelaySeconds"),
                b.integer("abortScaleDownDelaySeconds"),
                b.has("prePromotionAnalysis") ? analysis(b.obj("prePromotionAnalysis")) : null,
                b.has("postPromotionAnalysis") ? analysis(b.obj("postPromotionAnalysis")) : null, bake(b));
    }

    /** A setMirrorRoute step; one that adds a route needs a canary replica by then to copy requests to. */
    private CanaryStep.SetMirrorRoute mirrorRoute(CheckedObject m, List<CanaryStep> before) {
        List<CanaryStep.MirrorMatch> match = new ArrayList<>();
        for (CheckedObject alt : m.objs("match")) {
            List<CanaryStep.HeaderMatch> headers = new ArrayList<>();
            for (var h : new TreeMap<>(alt.free("headers")).entrySet()) {
                CanaryStep.ValueMatch v = valueMatch((CheckedObject) h.getValue(), "regex");
                headers.add(new CanaryStep.HeaderMatch(h.getKey(), v.exact(), v.prefix(), v.regex()));
            }
            match.add(new CanaryStep.MirrorMatch(alt.has("method") ? alt.obj("method").string("exact") : null,
                    alt.has("path") ? valueMatch(alt.obj("path"), "regex") : null, headers));
        }
        CheckedObject compare = m.obj("compare");
        var route = new CanaryStep.SetMirrorRoute(m.string("name"), m.optionalInteger("percentage"), match,
                compare != null && compare.bool("body"), compare == null ? List.of() : compare.strings("ignoreHeaders"));
        boolean scaled = before.stream().anyMatch(b -> b instanceof CanaryStep.SetWeight w && w.weight() > 0
                || b instanceof CanaryStep.SetCanaryScale c && (c.matchTrafficWeight() || c.weight() != null && c.weight() > 0
                || c.replicas() != null && c.replicas() > 0));
        if (!route.removes() && !scaled) {
            error(m, "name", "the canary has no replica yet to copy requests to: put setCanaryScale: {replicas: 1} (or a setWeight) before this step");
        }
        return route;
    }

    private CanaryStep.ValueMatch valueMatch(CheckedObject v, String regexField) {
        if (v.has(regexField)) {
            try {
                Pattern.compile(v.string(regexField));
            } catch (PatternSyntaxException e) {
                error(v, regexField, "not a valid regular expression: " + e.getDescription());
            }
        }
        return new CanaryStep.ValueMatch(v.string("exact"), v.string("prefix"), v.string("regex"));
    }

    /** A strategy's bake, or null. */
    private Bake bake(CheckedObject strategy) {
        if (!strategy.has("bake")) return null;
        CheckedObject b = strategy.obj("bake");
        Duration d = b.duration("duration");
        if (d != null && (d.isNegative() || d.isZero() || d.compareTo(Duration.ofDays(7)) > 0)) {
            error(b, "duration", "must be more than 0 and at most 7 days, got " + Durations.format(d));
        }
        return new Bake(d, b.has("analysis") ? analysis(b.obj("analysis")) : null, b.optionalInteger("keepPrevious"));
    }

    /** An analysis reference: every template must be in the file, and every argument without a default must be given. */
    private AnalysisRef analysis(CheckedObject a) {
        List<String> names = new ArrayList<>();
        List<AnalysisRef.AnalysisArg> args = a.objs("args").stream().map(arg -> new AnalysisRef.AnalysisArg(arg.string("name"),
                arg.string("value"), arg.has("valueFrom") ? arg.obj("valueFrom").string("podTemplateHashValue") : null)).toList();
        Set<String> given = new HashSet<>();
        args.forEach(arg -> given.add(arg.name()));
        List<CheckedObject> refs = a.objs("templates");
        for (int i = 0; i < refs.size(); i++) {
            CheckedObject ref = refs.get(i);
            String name = ref.string("templateName");
            AnalysisTemplate t = templates.get(name);
            if (t == null && templates.containsKey(name)) continue; // the template has errors of its own
            if (t == null) {
                error(ref, "templateName", "no AnalysisTemplate named \"" + name + "\" in this file"
                        + (templates.isEmpty() ? "; add one as another document (kind: AnalysisTemplate)"
                        : DidYouMean.closest(name, templates.keySet()).map(s -> "; did you mean \"" + s + "\"?")
                                .orElse("; templates here: " + templates.keySet())));
                continue;
            }
            for (AnalysisTemplate.Arg arg : t.args()) {
                if (arg.value() == null && !given.contains(arg.name())) {
                    error(ref, "templateName", "template \"" + name + "\" needs argument \"" + arg.name() + "\"; add it under args");
                }
            }
            used.put(name, t);
            names.add(name);
        }
        return new AnalysisRef(names, args);
    }

    private void error(CheckedObject o, String field, String message) {
        errors.add(new SpecError(o.path(field), o.line(field), message));
    }
}
