package dev.rollgate.spec;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** How a rollout replaces old replicas with new ones. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = Strategy.RollingUpdate.class, name = "rollingUpdate"),
        @JsonSubTypes.Type(value = Strategy.Recreate.class, name = "recreate"),
        @JsonSubTypes.Type(value = Strategy.Canary.class, name = "canary"),
        @JsonSubTypes.Type(value = Strategy.BlueGreen.class, name = "blueGreen")})
public sealed interface Strategy {

    /** The bake of a canary or blue-green, or null. */
    static Bake bake(Strategy s) {
        return switch (s) {
            case Canary c -> c.bake();
            case BlueGreen bg -> bg.bake();
            default -> null;
        };
    }

    /** The strategy in a line, as {@code describe} shows it: "RollingUpdate (maxSurge 25%, maxUnavailable 0)". */
    static String describe(RolloutSpec spec) {
        return switch (spec.strategy()) {
            case RollingUpdate ru -> "RollingUpdate (maxSurge " + ru.maxSurge() + ", maxUnavailable " + ru.maxUnavailable() + ")";
            case Recreate re -> "Recreate";
            case Canary c -> "Canary (" + c.steps().size() + " steps" + (c.analysis() == null ? "" : ", background analysis")
                    + (spec.service() != null && spec.service().errorMasking() ? ", error masking" : "") + bakeText(c.bake()) + ")";
            case BlueGreen bg -> "BlueGreen (" + (bg.autoPromotionEnabled() ? "auto-promotion after " + bg.autoPromotionSeconds() + "s"
                    : "manual promotion") + (bg.previewPort() == null ? "" : ", preview port " + bg.previewPort()) + bakeText(bg.bake()) + ")";
        };
    }

    private static String bakeText(Bake b) {
        return b == null ? "" : ", bake " + Durations.format(b.duration()) + (b.analysis() == null ? "" : " with analysis");
    }


    /** Kubernetes' RollingUpdate: at most maxSurge extra and maxUnavailable missing replicas. */
    record RollingUpdate(IntOrPercent maxSurge, IntOrPercent maxUnavailable) implements Strategy {
        public static final RollingUpdate DEFAULT =
                new RollingUpdate(IntOrPercent.percent(25), IntOrPercent.percent(25));
    }

    /** Kubernetes' Recreate: every old replica is gone before a new one starts. */
    record Recreate() implements Strategy {}

    /**
     * Argo Rollouts' canary: the steps run in order against the stable revision; the proxy splits
     * traffic exactly by weight. Where no traffic router exists (Kubernetes without an HTTPRoute),
     * stable shrinks as the canary grows ({@code dynamicStableScale}), so that replica counts carry the weight.
     *
     * @param analysis                   background analysis from a step on, or null
     * @param scaleDownDelaySeconds      how long the old stable keeps its replicas after promotion
     * @param abortScaleDownDelaySeconds how long an aborted canary keeps its replicas (0: until the next rollout)
     * @param dynamicStableScale         shrink stable as the canary's weight grows
     * @param bake                       the previous revision kept warm after promotion while the new one is judged, or null
     */
    record Canary(List<CanaryStep> steps, IntOrPercent maxSurge, IntOrPercent maxUnavailable, BackgroundAnalysis analysis,
                  int scaleDownDelaySeconds, int abortScaleDownDelaySeconds, boolean dynamicStableScale, Bake bake) implements Strategy {

        public Canary(List<CanaryStep> steps, IntOrPercent maxSurge, IntOrPercent maxUnavailable, BackgroundAnalysis analysis,
                      int scaleDownDelaySeconds, int abortScaleDownDelaySeconds, boolean dynamicStableScale) {
            this(steps, maxSurge, maxUnavailable, analysis, scaleDownDelaySeconds, abortScaleDownDelaySeconds, dynamicStableScale, null);
        }
    }

    /** Analysis that runs beside the steps, from {@code startingStep} on, until the rollout completes or aborts. */
    record BackgroundAnalysis(AnalysisRef run, int startingStep) {}

    /**
     * Argo Rollouts' blue-green: the new revision comes up beside the active one as preview,
     * then the active service switches over at once.
     *
     * @param previewPort         where the proxy serves the preview revision, or null
     * @param previewHeader       requests on the main port with this header go to preview, or null
     * @param previewReplicaCount preview size before promotion (null: replicas)
     * @param bake                the previous active kept warm after the switch while the new one is judged, or null
     */
    record BlueGreen(Integer previewPort, Handler.HttpHeader previewHeader, Integer previewReplicaCount,
                     boolean autoPromotionEnabled, int autoPromotionSeconds, int scaleDownDelaySeconds,
                     int abortScaleDownDelaySeconds, AnalysisRef prePromotionAnalysis, AnalysisRef postPromotionAnalysis, Bake bake)
            implements Strategy {

        public BlueGreen(Integer previewPort, Handler.HttpHeader previewHeader, Integer previewReplicaCount,
                         boolean autoPromotionEnabled, int autoPromotionSeconds, int scaleDownDelaySeconds,
                         int abortScaleDownDelaySeconds, AnalysisRef prePromotionAnalysis, AnalysisRef postPromotionAnalysis) {
            this(previewPort, previewHeader, previewReplicaCount, autoPromotionEnabled, autoPromotionSeconds, scaleDownDelaySeconds,
                    abortScaleDownDelaySeconds, prePromotionAnalysis, postPromotionAnalysis, null);
        }
    }
}
