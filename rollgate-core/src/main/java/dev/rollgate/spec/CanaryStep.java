package dev.rollgate.spec;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Duration;
import java.util.List;

/** One step of a canary rollout, with Argo Rollouts' names and meaning. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = CanaryStep.SetWeight.class, name = "setWeight"),
        @JsonSubTypes.Type(value = CanaryStep.Pause.class, name = "pause"),
        @JsonSubTypes.Type(value = CanaryStep.Analysis.class, name = "analysis"),
        @JsonSubTypes.Type(value = CanaryStep.SetCanaryScale.class, name = "setCanaryScale"),
        @JsonSubTypes.Type(value = CanaryStep.SetHeaderRoute.class, name = "setHeaderRoute"),
        @JsonSubTypes.Type(value = CanaryStep.SetMirrorRoute.class, name = "setMirrorRoute")})
public sealed interface CanaryStep {

    /** Sends {@code weight} percent of the traffic to the canary; done once the canary's replicas are available. */
    record SetWeight(int weight) implements CanaryStep {}

    /** Waits {@code duration}, or (null) until {@code rollout promote}. */
    record Pause(Duration duration) implements CanaryStep {}

    /** Runs the analysis and waits for its result: Successful goes on, Failed or Error aborts, Inconclusive pauses. */
    record Analysis(AnalysisRef analysis) implements CanaryStep {}

    /**
     * Sizes the canary apart from its traffic share: a share of the replicas, a count, or (matchTrafficWeight)
     * back to following the weight.
     */
    record SetCanaryScale(Integer weight, Integer replicas, boolean matchTrafficWeight) implements CanaryStep {}

    /** Sends requests whose headers match to the canary, whatever the weight. */
    record SetHeaderRoute(String name, List<HeaderMatch> match) implements CanaryStep {}

    /**
     * Argo's setMirrorRoute: a copy of each matching request ({@code percentage} percent of them)
     * goes to the canary; users are answered by stable only, and the pairs of answers are judged.
     * Without {@code percentage} and {@code match} it removes the route named {@code name}.
     *
     * @param match         alternatives; none: every GET and HEAD
     * @param compareBody   also compare the bodies (by digest) and the headers other than {@code ignoreHeaders}
     */
    record SetMirrorRoute(String name, Integer percentage, List<MirrorMatch> match, boolean compareBody, List<String> ignoreHeaders)
            implements CanaryStep {

        public boolean removes() {
            return percentage == null && match.isEmpty();
        }
    }

    /** One alternative of a mirror route: the method (exact; null: GET or HEAD), the path, and headers that must all match. */
    record MirrorMatch(String method, ValueMatch path, List<HeaderMatch> headers) {}

    /** A value matched exactly, by prefix, or by a regular expression (one of them). */
    record ValueMatch(String exact, String prefix, String regex) {}

    /** A header and how its value must match: exactly, by prefix, or by a regular expression. */
    record HeaderMatch(String headerName, String exact, String prefix, String regex) {}
}
