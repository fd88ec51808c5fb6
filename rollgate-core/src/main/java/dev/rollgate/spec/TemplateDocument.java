package dev.rollgate.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Template} written back as the spec's {@code template:} field, in plain maps and lists that
 * {@link SpecParser} reads to the same template (versions of secrets and ConfigMaps left out: a file
 * names sources, apply pins them). For {@code rollgate export}: what runs, as a file.
 */
public final class TemplateDocument {

    private TemplateDocument() {}

    public static Map<String, Object> of(Template t) {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "version", t.version());
        if (!t.command().isEmpty()) m.put("command", t.command());
        put(m, "image", t.image());
        if (!t.args().isEmpty()) m.put("args", t.args());
        if (!t.ports().isEmpty()) {
            m.put("ports", t.ports().stream().map(p -> {
                Map<String, Object> port = new LinkedHashMap<>();
                put(port, "name", p.name());
                port.put("containerPort", p.containerPort());
                return port;
            }).toList());
        }
        if (!t.resources().isEmpty()) m.put("resources", t.resources());
        if (!t.podTemplate().isEmpty()) m.put("podTemplate", t.podTemplate());
        if (!t.valueFrom().isEmpty()) {
            List<Object> env = new ArrayList<>();
            t.env().forEach((name, value) -> env.add(ordered("name", name, "value", value)));
            t.valueFrom().forEach((name, ref) -> env.add(ordered("name", name, "valueFrom", Map.of(
                    ref.source().kind() == ValueRef.Kind.SECRET ? "secretKeyRef" : "configMapKeyRef", keyRef(ref)))));
            m.put("env", env);
        } else if (!t.env().isEmpty()) {
            m.put("env", t.env());
        }
        if (!t.volumes().isEmpty()) {
            m.put("volumes", t.volumes().stream().map(v -> ordered("name", v.name(), v.source().kind() == ValueRef.Kind.SECRET ? "secret"
                    : "configMap", source(v.source(), v.source().kind() == ValueRef.Kind.SECRET ? "secretName" : "name"))).toList());
            m.put("volumeMounts", t.volumes().stream().map(v -> ordered("name", v.name(), "mountPath", v.mountPath())).toList());
        }
        put(m, "workingDir", t.workingDir());
        for (ProbeKind kind : ProbeKind.values()) t.probe(kind).ifPresent(p -> m.put(field(kind), probe(p)));
        if (t.preStop() != null) m.put("lifecycle", Map.of("preStop", handler(t.preStop())));
        m.put("terminationGracePeriodSeconds", t.terminationGracePeriodSeconds());
        return m;
    }

    private static Map<String, Object> keyRef(KeyRef ref) {
        Map<String, Object> m = source(ref.source(), "name");
        m.put("key", ref.key());
        return m;
    }

    private static Map<String, Object> source(ValueRef ref, String nameField) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(nameField, ref.name());
        if (!ref.rolloutOnChange()) m.put("rolloutOnChange", false);
        return m;
    }

    private static String field(ProbeKind kind) {
        return switch (kind) {
            case STARTUP -> "startupProbe";
            case READINESS -> "readinessProbe";
            case LIVENESS -> "livenessProbe";
        };
    }

    private static Map<String, Object> probe(Probe p) {
        Map<String, Object> m = handler(p.handler());
        m.put("initialDelaySeconds", p.initialDelaySeconds());
        m.put("periodSeconds", p.periodSeconds());
        m.put("timeoutSeconds", p.timeoutSeconds());
        m.put("successThreshold", p.successThreshold());
        m.put("failureThreshold", p.failureThreshold());
        put(m, "terminationGracePeriodSeconds", p.terminationGracePeriodSeconds());
        return m;
    }

    private static Map<String, Object> handler(Handler h) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (h) {
            case Handler.Exec e -> m.put("exec", Map.of("command", e.command()));
            case Handler.Sleep s -> m.put("sleep", Map.of("seconds", s.seconds()));
            case Handler.Grpc g -> {
                Map<String, Object> grpc = new LinkedHashMap<>();
                put(grpc, "port", g.port());
                if (!g.service().isEmpty()) grpc.put("service", g.service());
                m.put("grpc", grpc);
            }
            case Handler.TcpSocket t -> {
                Map<String, Object> tcp = new LinkedHashMap<>();
                put(tcp, "port", t.port());
                put(tcp, "host", t.host());
                m.put("tcpSocket", tcp);
            }
            case Handler.HttpGet g -> {
                Map<String, Object> get = new LinkedHashMap<>();
                put(get, "path", g.path());
                put(get, "port", g.port());
                put(get, "host", g.host());
                put(get, "scheme", g.scheme());
                if (!g.httpHeaders().isEmpty()) {
                    get.put("httpHeaders", g.httpHeaders().stream().map(x -> ordered("name", x.name(), "value", x.value())).toList());
                }
                m.put("httpGet", get);
            }
        }
        return m;
    }

    /** Two fields in the order a person writes them (name first). */
    private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) m.put(key, value);
    }
}
