package dev.rollgate.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bake, the rollback window and the load metric as a spec says them, and their errors by field. */
class BakeAndLoadSpecTest {

    private static final String ROLLOUT = """
            apiVersion: rollgate.dev/v1alpha1
            kind: Rollout
            metadata: {name: web}
            spec:
              replicas: 4
              rollbackWindow: {revisions: 3}
              service: {port: 8080}
              template: {command: [app]}
              strategy:
            """;

    private static final String DRIVEN = """
            ---
            apiVersion: rollgate.dev/v1alpha1
            kind: AnalysisTemplate
            metadata: {name: driven}
            spec:
              metrics:
              - name: load
                provider: {load: {rate: 5, duration: 2m, requests: ["GET /", "HEAD /health"]}}
              - name: errors
                interval: 1s
                provider: {judge: {metric: errorRate}}
            """;

    private static List<String> errors(String yaml) {
        try {
            SpecParser.parse(yaml);
            throw new AssertionError("accepted: " + yaml);
        } catch (InvalidSpecException e) {
            return e.errors().stream().map(SpecError::toString).toList();
        }
    }

    @Test
    void readsABakeOnBothStrategiesTheRollbackWindowAndTheLoadMetric() throws Exception {
        Rollout r = SpecParser.parse(ROLLOUT + """
                    canary:
                      steps: [{setWeight: 10}]
                      bake: {duration: 30m, keepPrevious: 2, analysis: {templates: [{templateName: driven}]}}
                """ + DRIVEN).getFirst();
        Strategy.Canary c = (Strategy.Canary) r.spec().strategy();
        assertThat(c.bake()).isEqualTo(new Bake(Duration.ofMinutes(30), c.bake().analysis(), 2));
        assertThat(c.bake().analysis().templates()).containsExactly("driven");
        assertThat(c.bake().keep(4)).isEqualTo(2);
        assertThat(r.spec().rollbackWindow()).isEqualTo(3);
        assertThat(Strategy.describe(r.spec())).contains("bake 30m with analysis");
        var load = (AnalysisTemplate.Provider.Load) r.spec().analysisTemplate("driven").metrics().getFirst().provider();
        assertThat(load).isEqualTo(new AnalysisTemplate.Provider.Load(List.of("canary", "stable"), 5, Duration.ofMinutes(2),
                List.of("GET /", "HEAD /health"), null));

        Rollout bg = SpecParser.parse(ROLLOUT.replace("  rollbackWindow: {revisions: 3}\n", "") + "    blueGreen: {bake: {duration: 10m}}\n").getFirst();
        Bake b = ((Strategy.BlueGreen) bg.spec().strategy()).bake();
        assertThat(b.keep(4)).as("keepPrevious defaults to every replica").isEqualTo(4);
        assertThat(bg.spec().rollbackWindow()).isZero();
    }

    @Test
    void badValuesAreNamedByField() {
        assertThat(errors(ROLLOUT + "    canary: {bake: {keepPrevious: 0}}\n")).anySatisfy(e -> assertThat(e)
                .contains("spec.strategy.canary.bake.duration")).anySatisfy(e -> assertThat(e).contains("spec.strategy.canary.bake.keepPrevious"));
        assertThat(errors(ROLLOUT + "    canary: {bake: {duration: 8d}}\n")).anySatisfy(e -> assertThat(e).contains("spec.strategy.canary.bake.duration"));
        assertThat(errors(ROLLOUT.replace("revisions: 3", "revisions: -1") + "    canary: {}\n"))
                .anySatisfy(e -> assertThat(e).contains("spec.rollbackWindow.revisions"));
        assertThat(errors(ROLLOUT + "    canary: {bake: {duration: 1m, analysis: {templates: [{templateName: driven}]}}}\n"
                + DRIVEN.replace("\"HEAD /health\"", "\"POST /orders\"")))
                .anySatisfy(e -> assertThat(e).contains("spec.metrics[0].provider.load.requests[1]").contains("GET /path"));
        assertThat(errors(ROLLOUT + "    canary: {bake: {duration: 1m, analysis: {templates: [{templateName: driven}]}}}\n"
                + DRIVEN.replace("duration: 2m, ", "duration: 2h, ")))
                .anySatisfy(e -> assertThat(e).contains("spec.metrics[0].provider.load.duration").contains("at most 1h"));
        assertThat(errors(ROLLOUT + "    canary: {steps: [{setMirrorRoute: {name: shadow, percentage: 50}}]}\n"))
                .anySatisfy(e -> assertThat(e).contains("spec.strategy.canary.steps[0].setMirrorRoute.name")
                        .contains("the canary has no replica yet to copy requests to"));
        assertThat(errors(ROLLOUT + "    canary: {steps: [{setCanaryScale: {replicas: 1}}, {setMirrorRoute: {name: m, match: [{path: {regex: '('}}]}}]}\n"))
                .anySatisfy(e -> assertThat(e).contains("setMirrorRoute.match[0].path.regex").contains("not a valid regular expression"));
    }
}
