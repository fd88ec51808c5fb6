package dev.rollgate.spec;

import dev.rollgate.spec.Shape.BoolShape;
import dev.rollgate.spec.Shape.DurationShape;
import dev.rollgate.spec.Shape.Field;
import dev.rollgate.spec.Shape.FreeShape;
import dev.rollgate.spec.Shape.IntOrPercentShape;
import dev.rollgate.spec.Shape.IntShape;
import dev.rollgate.spec.Shape.ListShape;
import dev.rollgate.spec.Shape.MapOrListShape;
import dev.rollgate.spec.Shape.MapShape;
import dev.rollgate.spec.Shape.NumberShape;
import dev.rollgate.spec.Shape.ObjectShape;
import dev.rollgate.spec.Shape.OneOf;
import dev.rollgate.spec.Shape.StringShape;
import java.time.Duration;
import java.util.ArrayList;
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

    /** Replicas of one service: more than this is a typo, not a plan (and on one host, that many processes). */
    static final int MAX_REPLICAS = 10_000;
    /** A day: longer than any grace period, probe interval or delay that is not a mistake. */
    static final int MAX_SECONDS = 86_400;

    static IntShape between(int min, int max, String description) {
        return new IntShape(description, min, max);
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

    static final ObjectShape SLEEP = new ObjectShape("Wait, as Kubernetes' lifecycle sleep action.",
            List.of(field("seconds", between(0, MAX_SECONDS, "Seconds to wait.")).required(true)), List.of());

    static final ObjectShape PROBE = new ObjectShape("A probe with Kubernetes semantics.",
            List.of(field("exec", EXEC),
                    field("httpGet", HTTP_GET),
                    field("tcpSocket", TCP_SOCKET),
                    field("initialDelaySeconds", between(0, MAX_SECONDS, "Seconds after start before the first probe.")).withDefault(0),
                    field("periodSeconds", between(1, MAX_SECONDS, "Seconds between probes.")).withDefault(Probe.DEFAULT_PERIOD_SECONDS),
                    field("timeoutSeconds", between(1, MAX_SECONDS, "Seconds before a probe attempt fails.")).withDefault(Probe.DEFAULT_TIMEOUT_SECONDS),
                    field("successThreshold", atLeast(1, "Consecutive successes to count as success (must be 1 for liveness and startup)."))
                            .withDefault(Probe.DEFAULT_SUCCESS_THRESHOLD),
                    field("failureThreshold", atLeast(1, "Consecutive failures to count as failure.")).withDefault(Probe.DEFAULT_FAILURE_THRESHOLD),
                    field("terminationGracePeriodSeconds", between(1, MAX_SECONDS, "Grace period when this probe kills the replica (not for readiness)."))),
            List.of(new OneOf(List.of("exec", "httpGet", "tcpSocket"), true)));

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

    static final ObjectShape ROLLING_UPDATE = new ObjectShape("Replace replicas a few at a time.",
            List.of(field("maxSurge", new IntOrPercentShape("Replicas above the desired count during the update (rounded up).")),
                    field("maxUnavailable", new IntOrPercentShape("Replicas below the desired count during the update (rounded down)."))),
            List.of());

    static final ObjectShape RECREATE = new ObjectShape("Stop every old replica before starting new ones.",
            List.of(), List.of());

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

    static final ObjectShape HEADER_MATCH = new ObjectShape("A request header and how its value matches.",
            List.of(field("headerName", nonEmpty("Header name.")).required(true),
                    field("headerValue", new ObjectShape("How the value matches.",
                            List.of(field("exact", text("Equal to this.")), field("prefix", text("Starts with this.")),
                                    field("regex", nonEmpty("Matches this Java regular expression (whole value)."))),
                            List.of(new OneOf(List.of("exact", "prefix", "regex"), true)))).required(true)),
            List.of());

    static final ObjectShape VALUE_MATCH = new ObjectShape("How a value matches.",
            List.of(field("exact", text("Equal to this.")), field("prefix", text("Starts with this.")),
                    field("regex", nonEmpty("Matches this Java regular expression (whole value)."))),
            List.of(new OneOf(List.of("exact", "prefix", "regex"), true)));

    static final ObjectShape MIRROR_MATCH = new ObjectShape("One alternative: every condition given must hold.",
            List.of(field("method", new ObjectShape("The method (exact only; default: GET or HEAD).",
                            List.of(field("exact", new StringShape("A method.", true, "[A-Z]+", "be an upper-case HTTP method like GET", List.of()))
                                    .required(true)), List.of())),
                    field("path", VALUE_MATCH),
                    field("headers", new MapShape("Request headers by name, each with how its value matches.", VALUE_MATCH))),
            List.of());

    static final ObjectShape CANARY_STEP = new ObjectShape("One canary step (Argo Rollouts' step list).",
            List.of(field("setWeight", new IntShape("Percent of the traffic to the canary.", 0, 100)),
                    field("pause", new ObjectShape("Wait for a duration, or without one until 'rollout promote'.",
                            List.of(field("duration", new DurationShape("How long; omit to wait for promote."))), List.of())),
                    field("analysis", ANALYSIS),
                    field("setCanaryScale", new ObjectShape("Size the canary apart from its weight.",
                            List.of(field("weight", new IntShape("Percent of spec.replicas.", 0, 100)),
                                    field("replicas", between(0, MAX_REPLICAS, "A number of replicas.")),
                                    field("matchTrafficWeight", new BoolShape("Follow the traffic weight again."))),
                            List.of(new OneOf(List.of("weight", "replicas", "matchTrafficWeight"), true)))),
                    field("setHeaderRoute", new ObjectShape("Send requests whose headers match to the canary.",
                            List.of(field("name", nonEmpty("The route's name.")).required(true),
                                    field("match", new ListShape("Headers that must all match; empty removes the route.", HEADER_MATCH, 0))),
                            List.of())),
                    field("setMirrorRoute", new ObjectShape("Copy matching requests to the canary and judge its answers against the ones"
                            + " users got from stable; with only a name it removes the route.",
                            List.of(field("name", nonEmpty("The route's name.")).required(true),
                                    field("percentage", new IntShape("Percent of the matching requests copied (default 100).", 0, 100)),
                                    field("match", new ListShape("Alternatives (any may match); none: every GET and HEAD.", MIRROR_MATCH, 0)),
                                    field("compare", new ObjectShape("What besides the status class and latency is compared.",
                                            List.of(field("body", new BoolShape("Compare the bodies (by SHA-256) and the response headers.")).withDefault(false),
                                                    field("ignoreHeaders", new ListShape("Response headers not compared (Date, Server and"
                                                            + " hop-by-hop ones never are).", nonEmpty("A header name."), 0))),
                                            List.of()))),
                            List.of()))),
            List.of(new OneOf(List.of("setWeight", "pause", "analysis", "setCanaryScale", "setHeaderRoute", "setMirrorRoute"), true)));

    static final ObjectShape BAKE = new ObjectShape("After the rollout completes, the previous revision stays warm (running, probed, out of"
            + " routing) while the new one is judged; a failed analysis or 'rollout undo' sends the traffic back to it in one routing change.",
            List.of(field("duration", new DurationShape("How long the bake lasts after promotion.")).required(true),
                    field("analysis", new ObjectShape("Analysis run during the bake: 'stable' is the previous revision's last 5 minutes"
                            + " before promotion; Failed or Error rolls back, Inconclusive holds the bake until promote or undo.",
                            ANALYSIS_FIELDS, List.of())),
                    field("keepPrevious", between(1, MAX_REPLICAS, "Replicas of the previous revision kept warm (default: spec.replicas)."))),
            List.of());

    static final ObjectShape CANARY = new ObjectShape("Argo Rollouts' canary: steps against the stable revision, traffic split by the proxy.",
            List.of(field("steps", new ListShape("The steps, in order; after the last one the canary is promoted.", CANARY_STEP, 0)),
                    field("maxSurge", new IntOrPercentShape("Replica-ratio canary only (no traffic router): extra replicas.")),
                    field("maxUnavailable", new IntOrPercentShape("Replica-ratio canary only: missing replicas.")),
                    field("analysis", BACKGROUND_ANALYSIS),
                    field("scaleDownDelaySeconds", between(0, MAX_SECONDS, "Seconds the old stable keeps its replicas after promotion.")).withDefault(30),
                    field("abortScaleDownDelaySeconds", between(0, MAX_SECONDS, "Seconds an aborted canary keeps its replicas (0: until the next rollout)."))
                            .withDefault(30),
                    field("dynamicStableScale", new BoolShape("Shrink stable as the canary's weight grows.")).withDefault(false),
                    field("bake", BAKE),
                    field("trafficRouting", new ObjectShape("Kubernetes: what splits traffic (without it, replica counts approximate the weights).",
                            List.of(field("gatewayAPI", new ObjectShape("A Gateway API HTTPRoute whose backendRefs weights the controller sets.",
                                    List.of(field("httpRoute", new StringShape("The HTTPRoute's name, in the Rollout's namespace.", true,
                                            DNS_LABEL, "a Kubernetes object name", List.of())).required(true)), List.of())).required(true)),
                            List.of()))),
            List.of());

    static final ObjectShape BLUE_GREEN = new ObjectShape("Argo Rollouts' blue-green: preview beside active, then one switch.",
            List.of(field("previewPort", PORT),
                    field("previewHeader", HTTP_HEADER),
                    field("previewReplicaCount", between(1, MAX_REPLICAS, "Preview replicas before promotion (default: replicas).")),
                    field("autoPromotionEnabled", new BoolShape("Promote without 'rollout promote'.")).withDefault(true),
                    field("autoPromotionSeconds", between(0, MAX_SECONDS, "Seconds after the preview is available before auto-promotion.")).withDefault(0),
                    field("scaleDownDelaySeconds", between(0, MAX_SECONDS, "Seconds the old active keeps its replicas after the switch.")).withDefault(30),
                    field("abortScaleDownDelaySeconds", between(0, MAX_SECONDS, "Seconds an aborted preview keeps its replicas (0: until the next rollout)."))
                            .withDefault(30),
                    field("prePromotionAnalysis", ANALYSIS),
                    field("postPromotionAnalysis", ANALYSIS),
                    field("bake", BAKE)),
            List.of());

    static final ObjectShape STRATEGY = new ObjectShape("How a new template replaces the old one.",
            List.of(field("rollingUpdate", ROLLING_UPDATE), field("recreate", RECREATE), field("canary", CANARY),
                    field("blueGreen", BLUE_GREEN)),
            List.of(new OneOf(List.of("rollingUpdate", "recreate", "canary", "blueGreen"), false)));

    static final ObjectShape SERVICE = new ObjectShape("Where the proxy listens for clients.",
            List.of(field("port", PORT).required(true),
                    field("errorMasking", new BoolShape(
                            "Retry an idempotent request that failed on the canary once on stable: users see nothing, the canary is still charged."))
                            .withDefault(false),
                    field("firstRequestTimeout", new DurationShape(
                            "A new connection must send its first request head within this, or it is closed (HAProxy's timeout http-request)."))
                            .withDefault(ServiceSpec.FIRST_REQUEST_TIMEOUT),
                    field("sendTimeout", new DurationShape(
                            "A client that reads nothing of its response for this long is dropped (nginx's send_timeout)."))
                            .withDefault(ServiceSpec.SEND_TIMEOUT),
                    field("upstreamTimeout", new DurationShape(
                            "A replica that sends nothing for this long while a request waits on it: 504 (nginx's proxy_read_timeout)."))
                            .withDefault(ServiceSpec.UPSTREAM_TIMEOUT),
                    field("hosts", new ListShape("Host names the front door (rollgate up --listen / --listen-tls) routes here:"
                            + " exact, or *.example.com for one more label.", new StringShape("A host name.", true,
                            "(\\*\\.)?[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*",
                            "be a host name like shop.example.com, or *.example.com", List.of()), 0)),
                    field("pathPrefix", new StringShape("Only requests under this path (default /, all of them).", true, "/[^\\s?#]*",
                            "start with / and hold no space, ? or #", List.of())).withDefault("/"),
                    field("stripPrefix", new BoolShape("The replicas see the path without pathPrefix.")).withDefault(false),
                    field("tls", new ObjectShape("The certificate of hosts on the front door's TLS listener.",
                            List.of(field("certFile", nonEmpty("PEM certificate chain, relative to the spec's directory; read again when it changes.")),
                                    field("keyFile", nonEmpty("PEM private key (PKCS#8), relative to the spec's directory.")),
                                    field("acme", new BoolShape("Get and renew the certificate by ACME (HTTP-01), from rollgate up --acme-directory."))
                                            .withDefault(false)),
                            List.of())),
                    field("httpsRedirect", new BoolShape("Answer plain-HTTP requests with 308 to the same URL on https.")).withDefault(false),
                    field("hsts", new DurationShape("Strict-Transport-Security max-age on HTTPS answers (0: none).")).withDefault(Duration.ZERO),
                    field("maxRequestBodyBytes", atLeast(0, "A larger request body is refused with 413 (0: no limit).")).withDefault(0),
                    field("bufferRequests", new BoolShape("Read a request's body whole before choosing a replica, so a slow client holds none."))
                            .withDefault(false),
                    field("errorPages", new MapShape("The service's own pages for the errors the proxy answers (502, 503, 504, 413):"
                            + " status to an HTML file, relative to the spec's directory.", text("An HTML file.")))),
            List.of());

    static final ObjectShape DATABASE = new ObjectShape(
            "A PostgreSQL database whose schema changes go with the rollout: expand migrations before the new revision starts, contract ones once nothing older runs.",
            List.of(field("url", new StringShape("JDBC URL, jdbc:postgresql://HOST:PORT/DATABASE (no password in it).", true,
                            "jdbc:postgresql://[^\\s]+", "start with jdbc:postgresql://", List.of())).required(true),
                    field("user", nonEmpty("The user Rollgate migrates as.")),
                    field("passwordEnv", nonEmpty("An environment variable of the daemon ('rollgate up') that holds the password.")),
                    field("passwordFile", nonEmpty("A file that holds the password, relative to the spec's directory.")),
                    field("migrations", nonEmpty("The migrations folder, relative to the spec's directory:"
                            + " V<version>__expand_<what>.sql and V<version>__contract_<what>.sql files.")).required(true),
                    field("contractAfter", new DurationShape("The rollback window: how long the rollout must have been complete, with every replica"
                            + " available, before a contract migration runs.")).withDefault(DatabaseSpec.CONTRACT_AFTER),
                    field("lockTimeout", new DurationShape("PostgreSQL's lock_timeout for every migration statement; one that waits longer"
                            + " is retried with back-off.")).withDefault(DatabaseSpec.LOCK_TIMEOUT)),
            List.of(new OneOf(List.of("passwordEnv", "passwordFile"), false)));

    static final ObjectShape WEBHOOK = new ObjectShape("Where rollout events are POSTed as JSON.",
            List.of(field("url", new StringShape("An http:// or https:// URL.", true, "https?://[^\\s]+", "start with http:// or https://",
                            List.of())).required(true),
                    field("events", new ListShape("Events to send (default: all).",
                            oneOfValues("An event.", Webhook.EVENTS.toArray(String[]::new)), 0))),
            List.of());

    static final ObjectShape SPEC = new ObjectShape("The desired state of the service.",
            List.of(field("replicas", between(0, MAX_REPLICAS, "Desired number of replicas.")).withDefault(RolloutSpec.DEFAULT_REPLICAS),
                    field("minReadySeconds", between(0, MAX_SECONDS, "Seconds a replica must be ready before it counts as available.")).withDefault(0),
                    field("progressDeadlineSeconds", between(1, MAX_SECONDS, "Seconds without progress before the rollout is failed."))
                            .withDefault(RolloutSpec.DEFAULT_PROGRESS_DEADLINE_SECONDS),
                    field("progressDeadlineAbort", new BoolShape("Roll back on its own when the progress deadline passes.")).withDefault(false),
                    field("revisionHistoryLimit", atLeast(0, "Old revisions kept for rollback.")).withDefault(RolloutSpec.DEFAULT_REVISION_HISTORY_LIMIT),
                    field("paused", new BoolShape("Hold the rollout where it stands.")).withDefault(false),
                    field("rollbackWindow", new ObjectShape("Argo Rollouts' rollbackWindow: an undo to a recent revision skips the canary"
                            + " or blue-green steps (they ran before).",
                            List.of(field("revisions", atLeast(0, "How many of the latest revisions an undo may go back to without the steps.")).required(true)),
                            List.of())),
                    field("requireDigest", new BoolShape("Refuse an image named by a tag only: the file must pin image@sha256:….")).withDefault(false),
                    field("driftPolicy", oneOfValues("An out-of-band change to what Rollgate runs (a ReplicaSet scaled or edited, a selector or weights"
                            + " changed, a data plane's table, a replica's port or container): heal puts it back (DriftCorrected event), report only"
                            + " says so (Drifted event and condition).", "heal", "report")).withDefault("heal"),
                    field("maxConcurrentStarts", atLeast(0, "At most this many replicas starting (not yet ready) at once, so a surge cannot stampede a shared dependency; 0: no cap."))
                            .withDefault(0),
                    field("startJitterSeconds", between(0, MAX_SECONDS, "Each new replica waits a random time up to this before it starts, to spread a surge.")).withDefault(0),
                    field("service", SERVICE),
                    field("template", TEMPLATE).required(true),
                    field("strategy", STRATEGY),
                    field("webhooks", new ListShape("Receivers of rollout events.", WEBHOOK, 0)),
                    field("database", DATABASE),
                    field("workloadRef", new ObjectShape("Kubernetes: an existing Deployment whose pod template the Rollout takes over,"
                            + " scaling it down as the Rollout's replicas become available.",
                            List.of(field("apiVersion", oneOfValues("The workload's API.", "apps/v1")).withDefault("apps/v1"),
                                    field("kind", oneOfValues("The workload's kind.", "Deployment")).withDefault("Deployment"),
                                    field("name", new StringShape("Its name, in the Rollout's namespace.", true, DNS_LABEL,
                                            "a Kubernetes object name", List.of())).required(true)), List.of()))),
            List.of());

    static final ObjectShape METADATA = new ObjectShape("Identifies the service.",
            List.of(field("name", new StringShape("The service's name.", true, DNS_LABEL,
                            "use lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters",
                            List.of())).required(true),
                    field("labels", STRING_MAP),
                    field("annotations", STRING_MAP)),
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

    /** An AnalysisTemplate document. */
    public static final ObjectShape ANALYSIS_TEMPLATE =
            document("A Rollgate AnalysisTemplate: metrics that judge a rollout.", AnalysisTemplate.KIND, TEMPLATE_SPEC);

    /** A top-level document: apiVersion, kind, metadata and its spec, all required. */
    static ObjectShape document(String description, String kind, ObjectShape spec) {
        return new ObjectShape(description,
                List.of(field("apiVersion", oneOfValues("API version.", Rollout.API_VERSION)).required(true),
                        field("kind", oneOfValues("Document kind.", kind)).required(true),
                        field("metadata", METADATA).required(true),
                        field("spec", spec).required(true)),
                List.of());
    }

    static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    /** A ConfigMap document, in Kubernetes' shape. */
    public static final ObjectShape CONFIG_MAP = new ObjectShape("A ConfigMap: named keys to text, versioned with the revisions that read it.",
            List.of(field("apiVersion", oneOfValues("API version.", ConfigMap.API_VERSION)).required(true),
                    field("kind", oneOfValues("Document kind.", ConfigMap.KIND)).required(true),
                    field("metadata", new ObjectShape("Identifies the ConfigMap.", List.of(field("name", SOURCE_NAME).required(true),
                            field("labels", STRING_MAP), field("annotations", STRING_MAP)), List.of())).required(true),
                    field("data", new MapShape("Keys to values.", text("A value.")))),
            List.of());

    /** The whole document. */
    public static final ObjectShape ROLLOUT =
            document("A Rollgate Rollout: one service, its replicas and how they are updated.", Rollout.KIND, SPEC);
}
