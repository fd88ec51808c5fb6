package dev.rollgate.spec;

import java.util.List;
import java.util.Map;

/** Turns a shape-checked document into records, and checks what spans several fields. */
final class RolloutReader {

    private static final String ENV_NAME = "[A-Za-z_][A-Za-z0-9_.-]*";

    private final List<SpecError> errors;

    private RolloutReader(List<SpecError> errors) {
        this.errors = errors;
    }

    /** Returns the rollout, or null after adding its errors to {@code errors}. */
    static Rollout read(Obj doc, List<SpecError> errors) {
        int before = errors.size();
        RolloutReader reader = new RolloutReader(errors);
        Obj meta = doc.obj("metadata");
        Metadata metadata = new Metadata(meta.string("name"), meta.stringMap("labels"), meta.stringMap("annotations"));
        RolloutSpec spec = reader.spec(doc.obj("spec"));
        return errors.size() == before ? new Rollout(metadata, spec) : null;
    }

    private RolloutSpec spec(Obj s) {
        if (s.integer("progressDeadlineSeconds") <= s.integer("minReadySeconds")) {
            error(s, "progressDeadlineSeconds", "must be greater than minReadySeconds (" + s.integer("minReadySeconds")
                    + "), or no replica could ever count as progress");
        }
        ServiceSpec service = s.has("service") ? new ServiceSpec(s.obj("service").integer("port")) : null;
        return new RolloutSpec(
                s.integer("replicas"),
                s.integer("minReadySeconds"),
                s.integer("progressDeadlineSeconds"),
                s.bool("progressDeadlineAbort"),
                s.integer("revisionHistoryLimit"),
                s.bool("paused"),
                s.integer("maxConcurrentStarts"),
                s.integer("startJitterSeconds"),
                service,
                template(s.obj("template")),
                strategy(s.obj("strategy")));
    }

    private Strategy strategy(Obj s) {
        if (s == null || (!s.has("rollingUpdate") && !s.has("recreate"))) return Strategy.RollingUpdate.DEFAULT;
        if (s.has("recreate")) return new Strategy.Recreate();
        Obj r = s.obj("rollingUpdate");
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

    private Template template(Obj t) {
        Map<String, String> env = t.stringMap("env");
        for (String name : env.keySet()) {
            if (!name.matches(ENV_NAME)) {
                errors.add(new SpecError(t.path("env") + "." + name, t.line("env"),
                        "not a valid environment variable name; use letters, digits, '_', '.', '-', not starting with a digit"));
            } else if (name.equals("PORT")) {
                errors.add(new SpecError(t.path("env") + ".PORT", t.line("env"),
                        "PORT is set by Rollgate for each replica (a free loopback port); remove it from env"));
            }
        }
        Probe startup = probe(t.obj("startupProbe"), ProbeKind.STARTUP);
        Probe readiness = probe(t.obj("readinessProbe"), ProbeKind.READINESS);
        Probe liveness = probe(t.obj("livenessProbe"), ProbeKind.LIVENESS);
        Obj lifecycle = t.obj("lifecycle");
        Handler preStop = lifecycle != null && lifecycle.has("preStop") ? handler(lifecycle.obj("preStop")) : null;
        return new Template(t.string("version"), t.strings("command"), env, t.string("workingDir"),
                startup, readiness, liveness, preStop, t.integer("terminationGracePeriodSeconds"));
    }

    private Probe probe(Obj p, ProbeKind kind) {
        if (p == null) return null;
        if (kind != ProbeKind.READINESS && p.integer("successThreshold") != 1) {
            error(p, "successThreshold", "must be 1 for a " + kind + " probe (Kubernetes rejects anything else), got "
                    + p.integer("successThreshold"));
        }
        if (kind == ProbeKind.READINESS && p.has("terminationGracePeriodSeconds")) {
            error(p, "terminationGracePeriodSeconds", "is not allowed on a readiness probe: readiness never kills a replica");
        }
        return new Probe(handler(p), p.integer("initialDelaySeconds"), p.integer("periodSeconds"),
                p.integer("timeoutSeconds"), p.integer("successThreshold"), p.integer("failureThreshold"),
                p.optionalInteger("terminationGracePeriodSeconds"));
    }

    private static Handler handler(Obj h) {
        if (h.has("exec")) return new Handler.Exec(h.obj("exec").strings("command"));
        if (h.has("sleep")) return new Handler.Sleep(h.obj("sleep").integer("seconds"));
        if (h.has("tcpSocket")) {
            Obj t = h.obj("tcpSocket");
            return new Handler.TcpSocket(t.optionalInteger("port"), t.string("host"));
        }
        Obj g = h.obj("httpGet");
        List<Handler.HttpHeader> headers = g.objs("httpHeaders").stream()
                .map(o -> new Handler.HttpHeader(o.string("name"), o.string("value")))
                .toList();
        String path = g.string("path").startsWith("/") ? g.string("path") : "/" + g.string("path");
        return new Handler.HttpGet(path, g.optionalInteger("port"), g.string("host"), g.string("scheme"), headers);
    }

    private void error(Obj o, String field, String message) {
        errors.add(new SpecError(o.path(field), o.line(field), message));
    }
}
