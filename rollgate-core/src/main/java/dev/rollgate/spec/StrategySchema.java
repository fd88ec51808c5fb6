package dev.rollgate.spec;

import static dev.rollgate.spec.AnalysisSchema.ANALYSIS;
import static dev.rollgate.spec.AnalysisSchema.ANALYSIS_FIELDS;
import static dev.rollgate.spec.AnalysisSchema.BACKGROUND_ANALYSIS;
import static dev.rollgate.spec.Shapes.DNS_LABEL;
import static dev.rollgate.spec.Shapes.MAX_REPLICAS;
import static dev.rollgate.spec.Shapes.MAX_SECONDS;
import static dev.rollgate.spec.Shapes.PORT;
import static dev.rollgate.spec.Shapes.between;
import static dev.rollgate.spec.Shapes.field;
import static dev.rollgate.spec.Shapes.nonEmpty;
import static dev.rollgate.spec.Shapes.text;
import static dev.rollgate.spec.TemplateSchema.HTTP_HEADER;

import dev.rollgate.spec.Shape.BoolShape;
import dev.rollgate.spec.Shape.DurationShape;
import dev.rollgate.spec.Shape.IntOrPercentShape;
import dev.rollgate.spec.Shape.IntShape;
import dev.rollgate.spec.Shape.ListShape;
import dev.rollgate.spec.Shape.MapShape;
import dev.rollgate.spec.Shape.ObjectShape;
import dev.rollgate.spec.Shape.OneOf;
import dev.rollgate.spec.Shape.StringShape;
import java.util.List;

/** The shape of a Rollout's strategy: rolling update, recreate, and Argo Rollouts' canary and blue-green with their steps. */
final class StrategySchema {

    private StrategySchema() {}

    static final ObjectShape ROLLING_UPDATE = new ObjectShape("Replace replicas a few at a time.",
            List.of(field("maxSurge", new IntOrPercentShape("Replicas above the desired count during the update (rounded up).")),
                    field("maxUnavailable", new IntOrPercentShape("Replicas below the desired count during the update (rounded down)."))),
            List.of());

    static final ObjectShape RECREATE = new ObjectShape("Stop every old replica before starting new ones.",
            List.of(), List.of());

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
}
