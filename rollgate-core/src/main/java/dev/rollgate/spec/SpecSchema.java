package dev.rollgate.spec;

import dev.rollgate.spec.Shape.BoolShape;
import dev.rollgate.spec.Shape.Field;
import dev.rollgate.spec.Shape.IntOrPercentShape;
import dev.rollgate.spec.Shape.IntShape;
import dev.rollgate.spec.Shape.ListShape;
import dev.rollgate.spec.Shape.MapShape;
import dev.rollgate.spec.Shape.ObjectShape;
import dev.rollgate.spec.Shape.OneOf;
import dev.rollgate.spec.Shape.StringShape;
import java.util.List;

/** The shape of a Rollout document, with Kubernetes' defaults. Field names follow Kubernetes and Argo Rollouts. */
public final class SpecSchema {

    private SpecSchema() {}

    static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";

    static Field field(String name, Shape shape) {
        return new Field(name, shape, false, null);
    }

    static IntShape atLeast(int min, String description) {
        return new IntShape(description, min, Integer.MAX_VALUE);
    }

    static StringShape text(String description) {
        return new StringShape(description, false, null, null, List.of());
    }

    static StringShape nonEmpty(String description) {
        return new StringShape(description, true, null, null, List.of());
    }

    static StringShape oneOfValues(String description, String... values) {
        return new StringShape(description, false, null, null, List.of(values));
    }

    static final IntShape PORT = new IntShape("A TCP port on loopback.", 1, 65535);

    static final ListShape ARGV = new ListShape(
            "Program and arguments, run directly (never through a shell). $(VAR) expands an environment variable.",
            nonEmpty("One argument."), 1);

    static final ObjectShape EXEC = new ObjectShape("Run a command; exit code 0 is success.",
            List.of(field("command", ARGV).required(true)), List.of());

    static final ObjectShape HTTP_HEADER = new ObjectShape("A request header.",
            List.of(field("name", nonEmpty("Header name.")).required(true),
                    field("value", text("Header value.")).required(true)),
            List.of());

    static final ObjectShape HTTP_GET = new ObjectShape("An HTTP GET without keep-alive; status 200-399 is success.",
            List.of(field("path", text("Request path.")).withDefault("/"),
                    field("port", PORT),
                    field("host", nonEmpty("Host to connect to.")).withDefault("127.0.0.1"),
                    field("scheme", oneOfValues("Only HTTP is supported for local replicas.", "HTTP")).withDefault("HTTP"),
                    field("httpHeaders", new ListShape("Extra request headers.", HTTP_HEADER, 0))),
            List.of());

    static final ObjectShape TCP_SOCKET = new ObjectShape("A TCP connect; an accepted connection is success.",
            List.of(field("port", PORT), field("host", nonEmpty("Host to connect to.")).withDefault("127.0.0.1")),
            List.of());

    static final ObjectShape SLEEP = new ObjectShape("Wait, as Kubernetes' lifecycle sleep action.",
            List.of(field("seconds", atLeast(0, "Seconds to wait.")).required(true)), List.of());

    static final ObjectShape PROBE = new ObjectShape("A probe with Kubernetes semantics.",
            List.of(field("exec", EXEC),
                    field("httpGet", HTTP_GET),
                    field("tcpSocket", TCP_SOCKET),
                    field("initialDelaySeconds", atLeast(0, "Seconds after start before the first probe.")).withDefault(0),
                    field("periodSeconds", atLeast(1, "Seconds between probes.")).withDefault(Probe.DEFAULT_PERIOD_SECONDS),
                    field("timeoutSeconds", atLeast(1, "Seconds before a probe attempt fails.")).withDefault(Probe.DEFAULT_TIMEOUT_SECONDS),
                    field("successThreshold", atLeast(1, "Consecutive successes to count as success (must be 1 for liveness and startup)."))
                            .withDefault(Probe.DEFAULT_SUCCESS_THRESHOLD),
                    field("failureThreshold", atLeast(1, "Consecutive failures to count as failure.")).withDefault(Probe.DEFAULT_FAILURE_THRESHOLD),
                    field("terminationGracePeriodSeconds", atLeast(1, "Grace period when this probe kills the replica (not for readiness)."))),
            List.of(new OneOf(List.of("exec", "httpGet", "tcpSocket"), true)));

    static final ObjectShape LIFECYCLE_HANDLER = new ObjectShape("A lifecycle hook.",
            List.of(field("exec", EXEC), field("httpGet", HTTP_GET), field("sleep", SLEEP)),
            List.of(new OneOf(List.of("exec", "httpGet", "sleep"), true)));

    static final ObjectShape LIFECYCLE = new ObjectShape("Lifecycle hooks.",
            List.of(field("preStop", LIFECYCLE_HANDLER)), List.of());

    static final MapShape STRING_MAP = new MapShape("Names to values.", text("A value."));

    static final ObjectShape TEMPLATE = new ObjectShape("What each replica runs.",
            List.of(field("version", text("A free label shown everywhere, e.g. v2.")),
                    field("command", ARGV).required(true),
                    field("env", new MapShape("Environment variables; PORT is set per replica.", text("A value."))),
                    field("workingDir", nonEmpty("Working directory of the process (default: the spec file's directory).")),
                    field("startupProbe", PROBE),
                    field("readinessProbe", PROBE),
                    field("livenessProbe", PROBE),
                    field("lifecycle", LIFECYCLE),
                    field("terminationGracePeriodSeconds", atLeast(0, "Seconds from the start of termination to SIGKILL."))
                            .withDefault(Template.DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS)),
            List.of());

    static final ObjectShape ROLLING_UPDATE = new ObjectShape("Replace replicas a few at a time.",
            List.of(field("maxSurge", new IntOrPercentShape("Replicas above the desired count during the update (rounded up).")),
                    field("maxUnavailable", new IntOrPercentShape("Replicas below the desired count during the update (rounded down)."))),
            List.of());

    static final ObjectShape RECREATE = new ObjectShape("Stop every old replica before starting new ones.",
            List.of(), List.of());

    static final ObjectShape STRATEGY = new ObjectShape("How a new template replaces the old one.",
            List.of(field("rollingUpdate", ROLLING_UPDATE), field("recreate", RECREATE)),
            List.of(new OneOf(List.of("rollingUpdate", "recreate"), false)));

    static final ObjectShape SERVICE = new ObjectShape("Where the proxy listens for clients.",
            List.of(field("port", PORT).required(true)), List.of());

    static final ObjectShape SPEC = new ObjectShape("The desired state of the service.",
            List.of(field("replicas", atLeast(0, "Desired number of replicas.")).withDefault(RolloutSpec.DEFAULT_REPLICAS),
                    field("minReadySeconds", atLeast(0, "Seconds a replica must be ready before it counts as available.")).withDefault(0),
                    field("progressDeadlineSeconds", atLeast(1, "Seconds without progress before the rollout is failed."))
                            .withDefault(RolloutSpec.DEFAULT_PROGRESS_DEADLINE_SECONDS),
                    field("progressDeadlineAbort", new BoolShape("Roll back on its own when the progress deadline passes.")).withDefault(false),
                    field("revisionHistoryLimit", atLeast(0, "Old revisions kept for rollback.")).withDefault(RolloutSpec.DEFAULT_REVISION_HISTORY_LIMIT),
                    field("paused", new BoolShape("Hold the rollout where it stands.")).withDefault(false),
                    field("maxConcurrentStarts", atLeast(0, "At most this many replicas starting (not yet ready) at once, so a surge cannot stampede a shared dependency; 0: no cap."))
                            .withDefault(0),
                    field("startJitterSeconds", atLeast(0, "Each new replica waits a random time up to this before it starts, to spread a surge.")).withDefault(0),
                    field("service", SERVICE),
                    field("template", TEMPLATE).required(true),
                    field("strategy", STRATEGY)),
            List.of());

    static final ObjectShape METADATA = new ObjectShape("Identifies the service.",
            List.of(field("name", new StringShape("The service's name.", true, DNS_LABEL,
                            "use lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters",
                            List.of())).required(true),
                    field("labels", STRING_MAP),
                    field("annotations", STRING_MAP)),
            List.of());

    /** The whole document. */
    public static final ObjectShape ROLLOUT = new ObjectShape("A Rollgate Rollout: one service, its replicas and how they are updated.",
            List.of(field("apiVersion", oneOfValues("API version.", Rollout.API_VERSION)).required(true),
                    field("kind", oneOfValues("Document kind.", Rollout.KIND)).required(true),
                    field("metadata", METADATA).required(true),
                    field("spec", SPEC).required(true)),
            List.of());
}
