package dev.rollgate.spec;

import static dev.rollgate.spec.Shapes.DNS_LABEL;
import static dev.rollgate.spec.Shapes.MAX_SECONDS;
import static dev.rollgate.spec.Shapes.PORT;
import static dev.rollgate.spec.Shapes.atLeast;
import static dev.rollgate.spec.Shapes.between;
import static dev.rollgate.spec.Shapes.field;
import static dev.rollgate.spec.Shapes.nonEmpty;
import static dev.rollgate.spec.Shapes.oneOfValues;
import static dev.rollgate.spec.Shapes.text;

import dev.rollgate.spec.Shape.BoolShape;
import dev.rollgate.spec.Shape.Field;
import dev.rollgate.spec.Shape.FreeShape;
import dev.rollgate.spec.Shape.IntShape;
import dev.rollgate.spec.Shape.ListShape;
import dev.rollgate.spec.Shape.MapOrListShape;
import dev.rollgate.spec.Shape.MapShape;
import dev.rollgate.spec.Shape.ObjectShape;
import dev.rollgate.spec.Shape.OneOf;
import dev.rollgate.spec.Shape.StringShape;
import java.util.List;

/** The shape of a Rollout's template: what each replica runs, its probes and hooks, its environment and volumes. */
final class TemplateSchema {

    private TemplateSchema() {}

    static final ListShape ARGV = new ListShape(
            "Program and arguments, run directly (never through a shell). $(VAR) expands an environment variable.",
            nonEmpty("One argument."), 1);

    static final ObjectShape EXEC = new ObjectShape("Run a command; exit code 0 is success.",
            List.of(field("command", ARGV).required(true)), List.of());

    static final ObjectShape HTTP_HEADER = new ObjectShape("A request header.",
            List.of(field("name", new StringShape("Header name.", true, "[!#$%&'*+.^_`|~0-9A-Za-z-]+",
                            "a header name is letters, digits and !#$%&'*+.^_`|~- (RFC 9110's token)", List.of())).required(true),
                    field("value", new StringShape("Header value.", false, "[^\\r\\n]*", "a header value is one line", List.of()))
                            .required(true)),
            List.of());

    static final ObjectShape HTTP_GET = new ObjectShape("An HTTP GET without keep-alive; status 200-399 is success.",
            List.of(field("path", new StringShape("Request path.", false, "[^\\s]*",
                            "a request path has no spaces or line breaks (percent-encode them)", List.of())).withDefault("/"),
                    field("port", PORT),
                    field("host", nonEmpty("Host to connect to.")).withDefault("127.0.0.1"),
                    field("scheme", oneOfValues("Only HTTP is supported for local replicas.", "HTTP")).withDefault("HTTP"),
                    field("httpHeaders", new ListShape("Extra request headers.", HTTP_HEADER, 0))),
            List.of());

    static final ObjectShape TCP_SOCKET = new ObjectShape("A TCP connect; an accepted connection is success.",
            List.of(field("port", PORT), field("host", nonEmpty("Host to connect to.")).withDefault("127.0.0.1")),
            List.of());

    static final ObjectShape GRPC = new ObjectShape("The gRPC Health Checking Protocol (grpc.health.v1.Health/Check) over h2c; SERVING is success.",
            List.of(field("port", PORT), field("service", new StringShape("The service name asked about; empty for the server as a whole.",
                    false, "[^\\s]*", "a gRPC service name has no spaces", List.of())).withDefault("")),
            List.of());

    static final ObjectShape SLEEP = new ObjectShape("Wait, as Kubernetes' lifecycle sleep action.",
            List.of(field("seconds", between(0, MAX_SECONDS, "Seconds to wait.")).required(true)), List.of());

    static final ObjectShape PROBE = new ObjectShape("A probe with Kubernetes semantics.",
            List.of(field("exec", EXEC),
                    field("httpGet", HTTP_GET),
                    field("tcpSocket", TCP_SOCKET),
                    field("grpc", GRPC),
                    field("initialDelaySeconds", between(0, MAX_SECONDS, "Seconds after start before the first probe.")).withDefault(0),
                    field("periodSeconds", between(1, MAX_SECONDS, "Seconds between probes.")).withDefault(Probe.DEFAULT_PERIOD_SECONDS),
                    field("timeoutSeconds", between(1, MAX_SECONDS, "Seconds before a probe attempt fails.")).withDefault(Probe.DEFAULT_TIMEOUT_SECONDS),
                    field("successThreshold", atLeast(1, "Consecutive successes to count as success (must be 1 for liveness and startup)."))
                            .withDefault(Probe.DEFAULT_SUCCESS_THRESHOLD),
                    field("failureThreshold", atLeast(1, "Consecutive failures to count as failure.")).withDefault(Probe.DEFAULT_FAILURE_THRESHOLD),
                    field("terminationGracePeriodSeconds", between(1, MAX_SECONDS, "Grace period when this probe kills the replica (not for readiness)."))),
            List.of(new OneOf(List.of("exec", "httpGet", "tcpSocket", "grpc"), true)));

    static final ObjectShape LIFECYCLE_HANDLER = new ObjectShape("A lifecycle hook.",
            List.of(field("exec", EXEC), field("httpGet", HTTP_GET), field("sleep", SLEEP)),
            List.of(new OneOf(List.of("exec", "httpGet", "sleep"), true)));

    static final ObjectShape LIFECYCLE = new ObjectShape("Lifecycle hooks.",
            List.of(field("preStop", LIFECYCLE_HANDLER)), List.of());

    static final MapShape STRING_MAP = new MapShape("Names to values.", text("A value."));

    /** A secret's or ConfigMap's name, as Kubernetes names objects (a DNS subdomain). */
    static final StringShape SOURCE_NAME = new StringShape("The secret's or ConfigMap's name.", true, "[a-z0-9]([-.a-z0-9]{0,251}[a-z0-9])?",
            "use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit", List.of());
    /** A key of a secret or ConfigMap, as Kubernetes allows them. */
    static final StringShape KEY = new StringShape("The key.", true, "[-._a-zA-Z0-9]{1,253}", "use letters, digits, '-', '_' and '.'", List.of());
    static final Field ROLLOUT_ON_CHANGE = field("rolloutOnChange",
            new BoolShape("A new version of it rolls the service out (true), or waits for the service's next revision (false).")).withDefault(true);

    static ObjectShape keyRef(String what) {
        return new ObjectShape("A key of a " + what + "; apply pins its current version into the revision.",
                List.of(field("name", SOURCE_NAME).required(true), field("key", KEY).required(true), ROLLOUT_ON_CHANGE), List.of());
    }

    static final ObjectShape ENV_VAR = new ObjectShape("An environment variable, as Kubernetes writes it.",
            List.of(field("name", nonEmpty("The variable's name.")).required(true),
                    field("value", text("Its value.")),
                    field("valueFrom", new ObjectShape("Where its value comes from, at the replica's start.",
                            List.of(field("secretKeyRef", keyRef("secret (rollgate secret create); the value reaches only the replica")),
                                    field("configMapKeyRef", keyRef("ConfigMap (a ConfigMap document or rollgate config create)"))),
                            List.of(new OneOf(List.of("secretKeyRef", "configMapKeyRef"), true))))),
            List.of(new OneOf(List.of("value", "valueFrom"), false)));

    static final MapOrListShape ENV = new MapOrListShape(
            "Environment variables: names to values, or Kubernetes' list of {name, value | valueFrom}; PORT is set per replica.",
            new MapShape("Names to values.", text("A value.")), new ListShape("Kubernetes' env list.", ENV_VAR, 0));

    static final ObjectShape VOLUME = new ObjectShape("Files from a secret or ConfigMap: one file per key.",
            List.of(field("name", new StringShape("The volume's name, used by volumeMounts.", true, DNS_LABEL,
                            "use lower-case letters, digits and '-'", List.of())).required(true),
                    field("secret", new ObjectShape("A secret's keys as files (0600, in a private directory removed with the replica).",
                            List.of(field("secretName", SOURCE_NAME).required(true), ROLLOUT_ON_CHANGE), List.of())),
                    field("configMap", new ObjectShape("A ConfigMap's keys as files.",
                            List.of(field("name", SOURCE_NAME).required(true), ROLLOUT_ON_CHANGE), List.of()))),
            List.of(new OneOf(List.of("secret", "configMap"), true)));

    static final ObjectShape VOLUME_MOUNT = new ObjectShape("Where a volume's files appear.",
            List.of(field("name", nonEmpty("The volume's name.")).required(true),
                    field("mountPath", new StringShape("An absolute path in the container; a process reads the directory from "
                            + "ROLLGATE_MOUNT_<NAME> instead.", true, "/.*", "an absolute path", List.of())).required(true),
                    field("readOnly", new BoolShape("Always true: the files are the secret's.")).withDefault(true)),
            List.of());

    static final ObjectShape TEMPLATE = new ObjectShape("What each replica runs.",
            List.of(field("version", text("A free label shown everywhere, e.g. v2.")),
                    field("command", ARGV),
                    field("image", nonEmpty("The container image, [registry/]repository[:tag][@sha256:digest]. Kubernetes runs it; the "
                            + "embedded platform runs it through podman when there is no command (a tag is resolved to its digest at apply).")),
                    field("args", new ListShape("The container's arguments (its CMD), as Kubernetes' args.", text("An argument."), 0)),
                    field("ports", new ListShape("Kubernetes: the container's ports; the first is what probes and Services use.",
                            new ObjectShape("A container port.", List.of(field("name", new StringShape("Its name.", true, DNS_LABEL,
                                            "use lower-case letters, digits and '-'", List.of())),
                                    field("containerPort", new IntShape("The port.", 1, 65535)).required(true)), List.of()), 0)),
                    field("resources", new FreeShape("Kubernetes: the container's resources (requests, limits), as Kubernetes writes them.")),
                    field("podTemplate", new FreeShape("Kubernetes: a whole pod template (metadata, spec) for anything more; used as written.")),
                    field("env", ENV),
                    field("volumes", new ListShape("Secrets and ConfigMaps read as files (Kubernetes' pod volumes).", VOLUME, 0)),
                    field("volumeMounts", new ListShape("Where each volume's files appear (Kubernetes' volumeMounts).", VOLUME_MOUNT, 0)),
                    field("workingDir", nonEmpty("Working directory of the process (default: the spec file's directory).")),
                    field("startupProbe", PROBE),
                    field("readinessProbe", PROBE),
                    field("livenessProbe", PROBE),
                    field("lifecycle", LIFECYCLE),
                    field("terminationGracePeriodSeconds", between(0, MAX_SECONDS, "Seconds from the start of termination to SIGKILL."))
                            .withDefault(Template.DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS)),
            List.of());
}
