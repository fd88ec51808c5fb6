package dev.rollgate.spec;

import static dev.rollgate.spec.AnalysisSchema.TEMPLATE_SPEC;
import static dev.rollgate.spec.Shapes.DNS_LABEL;
import static dev.rollgate.spec.Shapes.MAX_REPLICAS;
import static dev.rollgate.spec.Shapes.MAX_SECONDS;
import static dev.rollgate.spec.Shapes.PORT;
import static dev.rollgate.spec.Shapes.atLeast;
import static dev.rollgate.spec.Shapes.between;
import static dev.rollgate.spec.Shapes.field;
import static dev.rollgate.spec.Shapes.nonEmpty;
import static dev.rollgate.spec.Shapes.oneOfValues;
import static dev.rollgate.spec.Shapes.text;
import static dev.rollgate.spec.StrategySchema.STRATEGY;
import static dev.rollgate.spec.TemplateSchema.SOURCE_NAME;
import static dev.rollgate.spec.TemplateSchema.STRING_MAP;
import static dev.rollgate.spec.TemplateSchema.TEMPLATE;

import dev.rollgate.spec.Shape.BoolShape;
import dev.rollgate.spec.Shape.DurationShape;
import dev.rollgate.spec.Shape.ListShape;
import dev.rollgate.spec.Shape.MapShape;
import dev.rollgate.spec.Shape.ObjectShape;
import dev.rollgate.spec.Shape.OneOf;
import dev.rollgate.spec.Shape.StringShape;
import java.time.Duration;
import java.util.List;

/** The shape of a Rollout document, with Kubernetes' defaults. Field names follow Kubernetes and Argo Rollouts. */
public final class SpecSchema {

    private SpecSchema() {}

    static final ObjectShape OUTLIER_DETECTION = new ObjectShape("Passive health on top of the probes (Istio's outlierDetection):"
            + " a replica that keeps failing requests leaves the proxy's routing for a while, each time longer.",
            List.of(field("consecutive5xxErrors", between(0, 1000, "Requests in a row that failed on one replica (a 5xx, a failed connection,"
                            + " a timeout) before it is ejected; 0 turns ejection off.")).withDefault(ServiceSpec.OutlierDetection.DEFAULT.consecutive5xxErrors()),
                    field("baseEjectionTime", new DurationShape("How long a first ejection lasts; the nth lasts n times this."))
                            .withDefault(ServiceSpec.OutlierDetection.DEFAULT.baseEjectionTime()),
                    field("maxEjectionTime", new DurationShape("The longest an ejection lasts."))
                            .withDefault(ServiceSpec.OutlierDetection.DEFAULT.maxEjectionTime()),
                    field("maxEjectionPercent", between(0, 100, "At most this share of a revision's replicas is ejected at once (at least one"
                            + " of two or more, never all: a revision failing as a whole is the analysis's to judge)."))
                            .withDefault(ServiceSpec.OutlierDetection.DEFAULT.maxEjectionPercent())),
            List.of());

    static final ObjectShape COMPRESSION = new ObjectShape("Compress responses that the client accepts compressed and the replica sent"
            + " as they are (Caddy's encode, Traefik's Compress); off unless set ({} turns it on with the defaults).",
            List.of(field("encodings", new ListShape("Encodings in order of preference (default zstd, br, gzip); the client's q-values come first.",
                            oneOfValues("An encoding.", ServiceSpec.Compression.ENCODINGS.toArray(String[]::new)), 1)),
                    field("minResponseBodyBytes", atLeast(0, "A response known to be shorter goes as it is (one of unknown length is compressed)."))
                            .withDefault(ServiceSpec.Compression.MIN_RESPONSE_BODY_BYTES),
                    field("contentTypes", new ListShape("Media types compressed: exact (application/json) or with one * (text/*,"
                            + " application/*+json); default text/*, JSON, JavaScript, XML and SVG.",
                            new StringShape("A media type.", true, "[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+*-]+",
                                    "be a media type such as text/html, text/* or application/*+json, in lower case", List.of()), 1))),
            List.of());

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
                            + " status to an HTML file, relative to the spec's directory.", text("An HTML file."))),
                    field("outlierDetection", OUTLIER_DETECTION),
                    field("compression", COMPRESSION),
                    field("upstreamProtocol", oneOfValues("What the replicas speak: http1, or h2c (HTTP/2 in clear text with prior knowledge,"
                            + " as gRPC servers do; then clients may call the service's port over h2c, trailers pass through, and a"
                            + " grpc-status other than 0 counts as an error).", ServiceSpec.HTTP1, ServiceSpec.H2C)).withDefault(ServiceSpec.HTTP1)),
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
