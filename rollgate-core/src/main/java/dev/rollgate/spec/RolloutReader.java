package dev.rollgate.spec;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Turns a shape-checked document into records, and checks what spans several fields. */
final class RolloutReader {

    private static final String ENV_NAME = "[A-Za-z_][A-Za-z0-9_.-]*";

    private final List<SpecError> errors;
    private final Map<String, AnalysisTemplate> used = new LinkedHashMap<>();
    private final StrategyReader strategies;

    private RolloutReader(List<SpecError> errors, Map<String, AnalysisTemplate> templates) {
        this.errors = errors;
        this.strategies = new StrategyReader(errors, templates, used);
    }

    /**
     * Returns the rollout, or null after adding its errors to {@code errors}. {@code templates}
     * are the AnalysisTemplate documents of the same file; the ones the strategy refers to go into the spec.
     */
    static Rollout read(CheckedObject doc, Map<String, AnalysisTemplate> templates, List<SpecError> errors) {
        int before = errors.size();
        RolloutReader reader = new RolloutReader(errors, templates);
        CheckedObject meta = doc.obj("metadata");
        Metadata metadata = new Metadata(meta.string("name"), meta.stringMap("labels"), meta.stringMap("annotations"));
        RolloutSpec spec = reader.spec(doc.obj("spec"));
        return errors.size() == before ? new Rollout(metadata, spec) : null;
    }

    private ServiceSpec.OutlierDetection outlierDetection(CheckedObject o) {
        var d = new ServiceSpec.OutlierDetection(o.integer("consecutive5xxErrors"), o.duration("baseEjectionTime"), o.duration("maxEjectionTime"),
                o.integer("maxEjectionPercent"));
        if (d.baseEjectionTime().isNegative() || d.baseEjectionTime().isZero() || d.baseEjectionTime().compareTo(Duration.ofHours(24)) > 0) {
            error(o, "baseEjectionTime", "must be more than 0 and at most 24h, got " + d.baseEjectionTime().toMillis() + " ms");
        }
        if (d.maxEjectionTime().compareTo(d.baseEjectionTime()) < 0 || d.maxEjectionTime().compareTo(Duration.ofHours(24)) > 0) {
            error(o, "maxEjectionTime", "must be at least baseEjectionTime (" + d.baseEjectionTime().toSeconds() + " s) and at most 24h, got "
                    + d.maxEjectionTime().toMillis() + " ms");
        }
        return d;
    }

    private ServiceSpec.Compression compression(CheckedObject o) {
        List<String> encodings = o.strings("encodings");
        if (encodings.stream().distinct().count() < encodings.size()) error(o, "encodings", "names an encoding twice: " + encodings);
        for (String type : o.strings("contentTypes")) {
            if (type.indexOf('*') != type.lastIndexOf('*')) error(o, "contentTypes", "\"" + type + "\" has more than one *");
        }
        return new ServiceSpec.Compression(encodings, o.integer("minResponseBodyBytes"), o.strings("contentTypes"));
    }

    private RolloutSpec spec(CheckedObject s) {
        if (s.integer("progressDeadlineSeconds") <= s.integer("minReadySeconds")) {
            error(s, "progressDeadlineSeconds", "must be greater than minReadySeconds (" + s.integer("minReadySeconds")
                    + "), or no replica could ever count as progress");
        }
        ServiceSpec service = null;
        if (s.has("service")) {
            CheckedObject o = s.obj("service");
            ServiceSpec.Tls tls = null;
            if (o.has("tls")) {
                CheckedObject t = o.obj("tls");
                tls = new ServiceSpec.Tls(t.string("certFile"), t.string("keyFile"), t.bool("acme"));
                if (tls.acme() == (tls.certFile() != null || tls.keyFile() != null) || (tls.certFile() == null) != (tls.keyFile() == null)) {
                    error(o, "tls", "give either certFile and keyFile, or acme: true");
                }
            }
            for (String code : o.stringMap("errorPages").keySet()) {
                if (!code.matches("[45][0-9][0-9]")) error(o, "errorPages", "keys are HTTP statuses from 400 to 599, got " + code);
            }
            service = new ServiceSpec(o.integer("port"), o.bool("errorMasking"), o.duration("firstRequestTimeout"), o.duration("sendTimeout"),
                    o.duration("upstreamTimeout"), o.strings("hosts"), o.string("pathPrefix"), o.bool("stripPrefix"), tls,
                    o.bool("httpsRedirect"), o.duration("hsts"), o.integer("maxRequestBodyBytes"), o.bool("bufferRequests"),
                    o.stringMap("errorPages"), o.has("outlierDetection") ? outlierDetection(o.obj("outlierDetection")) : null,
                    o.has("compression") ? compression(o.obj("compression")) : null, o.string("upstreamProtocol"));
            if (service.hosts().isEmpty() && (tls != null || service.httpsRedirect() || service.stripPrefix())) {
                error(o, "hosts", "tls, httpsRedirect and stripPrefix are about the front door: name the hosts it routes here");
            }
            for (String f : List.of("firstRequestTimeout", "sendTimeout", "upstreamTimeout")) {
                Duration d = o.duration(f);
                if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofHours(24)) > 0) {
                    error(o, f, "must be more than 0 and at most 24h, got " + d.toMillis() + " ms");
                }
            }
        }
        Strategy strategy = strategies.strategy(s.obj("strategy"), s.integer("replicas"));
        if (service == null && (strategy instanceof Strategy.Canary || strategy instanceof Strategy.BlueGreen)) {
            error(s, "strategy", "a canary or blue-green rollout needs spec.service.port: the proxy is what splits and switches the traffic");
        }
        if (strategy instanceof Strategy.BlueGreen bg && bg.previewPort() != null && service != null && bg.previewPort() == service.port()) {
            error(s.obj("strategy").obj("blueGreen"), "previewPort", "must differ from spec.service.port (" + service.port() + ")");
        }
        List<Webhook> webhooks = s.objs("webhooks").stream().map(w -> new Webhook(w.string("url"), w.strings("events"))).toList();
        for (CheckedObject w : s.objs("webhooks")) webhookUrlProblem(w.string("url")).ifPresent(why -> error(w, "url", why));
        DatabaseSpec database = null;
        if (s.has("database")) {
            CheckedObject d = s.obj("database");
            database = new DatabaseSpec(d.string("url"), d.string("user"), d.string("passwordEnv"),
                    d.string("passwordFile"), d.string("migrations"), d.duration("contractAfter"), d.duration("lockTimeout"));
            if (database.url().matches("(?i).*[?&;]password=.*")) {
                error(d, "url", "holds a password: keep credentials out of the spec, in passwordEnv or passwordFile");
            }
            if (database.lockTimeout().isNegative() || database.lockTimeout().isZero() || database.lockTimeout().compareTo(Duration.ofMinutes(10)) > 0) {
                error(d, "lockTimeout", "must be more than 0 and at most 10m, got " + database.lockTimeout().toMillis() + " ms");
            }
            if (database.contractAfter().isNegative() || database.contractAfter().compareTo(Duration.ofDays(30)) > 0) {
                error(d, "contractAfter", "must be 0 or more and at most 30 days");
            }
        }
        CheckedObject tpl = s.obj("template");
        if (s.bool("requireDigest") && tpl != null && tpl.string("image") != null && ImageReference.problem(tpl.string("image")).isEmpty()) {
            ImageReference.parse(tpl.string("image")).refusedBy("spec.requireDigest")
                    .ifPresent(why -> errors.add(new SpecError(tpl.path("image"), tpl.line("image"), why)));
        }
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
                template(s.obj("template"), s.has("workloadRef")),
                strategy,
                webhooks,
                List.copyOf(used.values()),
                database,
                cluster(s, strategy),
                s.bool("requireDigest"),
                DriftPolicy.of(s.string("driftPolicy")),
                s.has("rollbackWindow") ? s.obj("rollbackWindow").integer("revisions") : 0);
    }

    /** workloadRef and the canary's HTTPRoute: what only Kubernetes reads; null when neither is set. */
    private static ClusterSpec cluster(CheckedObject s, Strategy strategy) {
        CheckedObject ref = s.obj("workloadRef");
        CheckedObject st = s.obj("strategy");
        CheckedObject canary = st == null ? null : st.obj("canary");
        CheckedObject routing = canary == null ? null : canary.obj("trafficRouting");
        String route = routing == null ? null : routing.obj("gatewayAPI").string("httpRoute");
        if (ref == null && route == null) return null;
        return new ClusterSpec(ref == null ? null : new ClusterSpec.WorkloadRef(ref.string("apiVersion"), ref.string("kind"), ref.string("name")),
                route);
    }

    /** What the daemon's HTTP client would refuse in a webhook's URL, said before the first event is sent. */
    private static Optional<String> webhookUrlProblem(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null) return Optional.of("\"" + url + "\" names no host; write http://HOST[:PORT]/PATH");
            if (uri.getRawUserInfo() != null) return Optional.of("must not carry a user or password; use a token in the path or a header");
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of("is not a URL: " + e.getReason() + " at index " + e.getIndex()
                    + " (percent-encode characters such as spaces, < and >)");
        }
    }

    /** {@code fromWorkload}: the pod template comes from the workloadRef's Deployment, so the template may name no program. */
    private Template template(CheckedObject t, boolean fromWorkload) {
        if (!fromWorkload && !t.has("command") && !t.has("image") && !t.has("podTemplate")) {
            errors.add(new SpecError(t.path("command"), t.line(), "required: command (a process on the embedded platform), "
                    + "or image (a container on either platform) or podTemplate (Kubernetes), or a spec.workloadRef; a template may carry both"));
        }
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, KeyRef> valueFrom = new LinkedHashMap<>();
        if (t.isList("env")) {
            for (CheckedObject e : t.objs("env")) {
                String name = e.string("name");
                if (env.containsKey(name) || valueFrom.containsKey(name)) {
                    error(e, "name", "duplicate variable \"" + name + "\"; each name may appear once");
                    continue;
                }
                checkEnvName(name, e.path("name"), e.line("name"));
                if (e.has("valueFrom")) valueFrom.put(name, keyRef(e.obj("valueFrom")));
                else env.put(name, e.string("value") == null ? "" : e.string("value"));
            }
        } else {
            env.putAll(t.stringMap("env"));
            env.keySet().forEach(name -> checkEnvName(name, t.path("env") + "." + name, t.line("env")));
        }
        List<Volume> volumes = volumes(t);
        Probe startup = probe(t.obj("startupProbe"), ProbeKind.STARTUP);
        Probe readiness = probe(t.obj("readinessProbe"), ProbeKind.READINESS);
        Probe liveness = probe(t.obj("livenessProbe"), ProbeKind.LIVENESS);
        CheckedObject lifecycle = t.obj("lifecycle");
        Handler preStop = lifecycle != null && lifecycle.has("preStop") ? handler(lifecycle.obj("preStop")) : null;
        String image = t.string("image");
        if (image != null) {
            ImageReference.problem(image).ifPresent(why -> errors.add(new SpecError(t.path("image"), t.line("image"), why)));
        }
        List<Template.ContainerPort> ports = t.objs("ports").stream()
                .map(p -> new Template.ContainerPort(p.string("name"), p.integer("containerPort"))).toList();
        return new Template(t.string("version"), t.strings("command"), env, t.string("workingDir"),
                startup, readiness, liveness, preStop, t.integer("terminationGracePeriodSeconds"), image, t.strings("args"), ports,
                t.free("resources"), t.free("podTemplate"), valueFrom, volumes);
    }

    private void checkEnvName(String name, String path, int line) {
        if (!name.matches(ENV_NAME)) {
            errors.add(new SpecError(path, line, "not a valid environment variable name; use letters, digits, '_', '.', '-', not starting with a digit"));
        } else if (name.equals("PORT")) {
            errors.add(new SpecError(path, line, "PORT is set by Rollgate for each replica (a free loopback port); remove it from env"));
        }
    }

    private static KeyRef keyRef(CheckedObject valueFrom) {
        boolean secret = valueFrom.has("secretKeyRef");
        CheckedObject ref = valueFrom.obj(secret ? "secretKeyRef" : "configMapKeyRef");
        return new KeyRef(new ValueRef(secret ? ValueRef.Kind.SECRET : ValueRef.Kind.CONFIG_MAP, ref.string("name"), 0,
                ref.bool("rolloutOnChange")), ref.string("key"));
    }

    /** {@code volumes} joined with {@code volumeMounts}: each volume mounted once, each mount naming a volume. */
    private List<Volume> volumes(CheckedObject t) {
        Map<String, CheckedObject> mounts = new LinkedHashMap<>();
        for (CheckedObject m : t.objs("volumeMounts")) {
            if (!m.bool("readOnly")) error(m, "readOnly", "must be true: a volume holds a secret's or ConfigMap's files, which a replica only reads");
            if (mounts.putIfAbsent(m.string("name"), m) != null) error(m, "name", "volume \"" + m.string("name") + "\" is mounted twice");
        }
        List<Volume> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (CheckedObject v : t.objs("volumes")) {
            String name = v.string("name");
            if (!names.add(name)) {
                error(v, "name", "duplicate volume \"" + name + "\"");
                continue;
            }
            CheckedObject mount = mounts.get(name);
            if (mount == null) {
                error(v, "name", "volume \"" + name + "\" is not mounted; add {name: " + name + ", mountPath: /...} to spec.template.volumeMounts");
                continue;
            }
            boolean secret = v.has("secret");
            CheckedObject source = v.obj(secret ? "secret" : "configMap");
            out.add(new Volume(name, new ValueRef(secret ? ValueRef.Kind.SECRET : ValueRef.Kind.CONFIG_MAP,
                    source.string(secret ? "secretName" : "name"), 0, source.bool("rolloutOnChange")), mount.string("mountPath")));
        }
        mounts.forEach((name, m) -> {
            if (!names.contains(name)) error(m, "name", "no volume named \"" + name + "\" in spec.template.volumes");
        });
        return out;
    }

    private Probe probe(CheckedObject p, ProbeKind kind) {
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

    private static Handler handler(CheckedObject h) {
        if (h.has("exec")) return new Handler.Exec(h.obj("exec").strings("command"));
        if (h.has("sleep")) return new Handler.Sleep(h.obj("sleep").integer("seconds"));
        if (h.has("tcpSocket")) {
            CheckedObject t = h.obj("tcpSocket");
            return new Handler.TcpSocket(t.optionalInteger("port"), t.string("host"));
        }
        if (h.has("grpc")) return new Handler.Grpc(h.obj("grpc").optionalInteger("port"), h.obj("grpc").string("service"));
        CheckedObject g = h.obj("httpGet");
        List<Handler.HttpHeader> headers = g.objs("httpHeaders").stream()
                .map(o -> new Handler.HttpHeader(o.string("name"), o.string("value")))
                .toList();
        String path = g.string("path").startsWith("/") ? g.string("path") : "/" + g.string("path");
        return new Handler.HttpGet(path, g.optionalInteger("port"), g.string("host"), g.string("scheme"), headers);
    }

    private void error(CheckedObject o, String field, String message) {
        errors.add(new SpecError(o.path(field), o.line(field), message));
    }
}
