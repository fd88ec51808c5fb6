package dev.rollgate.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Canary and blue-green strategies, AnalysisTemplate documents beside the Rollout, and their errors. */
class ProgressiveSpecTest {

    private static final String ROLLOUT = """
            apiVersion: rollgate.dev/v1alpha1
            kind: Rollout
            metadata: {name: web}
            spec:
              replicas: 4
              service: {port: 8080, errorMasking: true}
              webhooks: [{url: "http://127.0.0.1:9999/hook", events: [RolloutAborted]}]
              template: {command: [app]}
              strategy:
            """;

    private static final String TEMPLATE = """
            ---
            apiVersion: rollgate.dev/v1alpha1
            kind: AnalysisTemplate
            metadata: {name: success-rate}
            spec:
              args: [{name: service}, {name: threshold, value: "0.95"}]
              dryRun: [{metricName: p99}]
              metrics:
              - name: success-rate
                interval: 2s
                count: 5
                successCondition: result >= 0.95
                failureLimit: 1
                provider: {builtin: {metric: successRate, window: 10s}}
              - name: p99
                provider:
                  prometheus: {address: "http://127.0.0.1:9090", query: "rollgate_p99{service='{{args.service}}'}"}
              - name: errors-vs-stable
                interval: 1s
                provider: {judge: {metric: errorRate}}
            """;

    @Test
    void readsACanaryWithEveryStepKindAndItsTemplates() throws Exception {
        Rollout r = SpecParser.parse(ROLLOUT + """
                    canary:
                      scaleDownDelaySeconds: 5
                      analysis: {templates: [{templateName: success-rate}], args: [{name: service, value: web}], startingStep: 1}
                      steps:
                      - setWeight: 10
                      - pause: {duration: 30s}
                      - setCanaryScale: {replicas: 2}
                      - setHeaderRoute: {name: beta, match: [{headerName: X-Beta, headerValue: {prefix: "yes"}}]}
                      - analysis: {templates: [{templateName: success-rate}], args: [{name: service, valueFrom: {podTemplateHashValue: Latest}}]}
                      - pause: {}
                """ + TEMPLATE).getFirst();
        var canary = (Strategy.Canary) r.spec().strategy();
        assertThat(canary.steps()).hasSize(6);
        assertThat(canary.steps().get(0)).isEqualTo(new CanaryStep.SetWeight(10));
        assertThat(canary.steps().get(1)).isEqualTo(new CanaryStep.Pause(Duration.ofSeconds(30)));
        assertThat(canary.steps().get(2)).isEqualTo(new CanaryStep.SetCanaryScale(null, 2, false));
        assertThat(canary.steps().get(5)).isEqualTo(new CanaryStep.Pause(null));
        assertThat(canary.analysis().startingStep()).isEqualTo(1);
        assertThat(canary.scaleDownDelaySeconds()).isEqualTo(5);
        assertThat(canary.abortScaleDownDelaySeconds()).isEqualTo(30);
        assertThat(r.spec().service().errorMasking()).isTrue();
        assertThat(r.spec().webhooks()).containsExactly(new Webhook("http://127.0.0.1:9999/hook", List.of("RolloutAborted")));
        AnalysisTemplate t = r.spec().analysisTemplate("success-rate");
        assertThat(t.dryRun()).containsExactly("p99");
        assertThat(t.metrics().get(0).effectiveCount()).isEqualTo(5);
        assertThat(t.metrics().get(1).effectiveCount()).isEqualTo(1);
        assertThat(t.metrics().get(2).effectiveCount()).isNull();
        assertThat(t.metrics().get(2).consecutiveErrorLimit()).isEqualTo(4);
        assertThat(t.metrics().get(2).provider()).isEqualTo(new AnalysisTemplate.Provider.Judge("errorRate", 0.25, 0.01, Duration.ofSeconds(60)));
        // The daemon stores the spec as JSON: it must read back the same.
        assertThat(SpecJson.rollout(SpecJson.write(r))).isEqualTo(r);
    }

    @Test
    void readsABlueGreen() throws Exception {
        Rollout r = SpecParser.parse(ROLLOUT + """
                    blueGreen:
                      previewPort: 8081
                      previewHeader: {name: X-Preview, value: "1"}
                      autoPromotionEnabled: false
                      prePromotionAnalysis: {templates: [{templateName: success-rate}], args: [{name: service, value: web}]}
                """ + TEMPLATE).getFirst();
        var bg = (Strategy.BlueGreen) r.spec().strategy();
        assertThat(bg.previewPort()).isEqualTo(8081);
        assertThat(bg.autoPromotionEnabled()).isFalse();
        assertThat(bg.scaleDownDelaySeconds()).isEqualTo(30);
        assertThat(bg.prePromotionAnalysis().templates()).containsExactly("success-rate");
        assertThat(SpecJson.rollout(SpecJson.write(r))).isEqualTo(r);
    }

    @Test
    void namesEveryMistakeWithItsPathAndLine() {
        assertThatThrownBy(() -> SpecParser.parse(ROLLOUT + """
                    canary:
                      steps:
                      - setWeight: 10
                      - analysis: {templates: [{templateName: succes-rate}]}
                      - analysis: {templates: [{templateName: success-rate}]}
                      - setHeaderRoute: {name: x, match: [{headerName: A, headerValue: {regex: "(("}}]}
                """ + TEMPLATE))
                .isInstanceOf(InvalidSpecException.class)
                .satisfies(e -> assertThat(((InvalidSpecException) e).errors()).extracting(SpecError::toString).containsExactly(
                        "spec.strategy.canary.steps[1].analysis.templates[0].templateName: no AnalysisTemplate named \"succes-rate\" in this file; did you mean \"success-rate\"? (line 13)",
                        "spec.strategy.canary.steps[2].analysis.templates[0].templateName: template \"success-rate\" needs argument \"service\"; add it under args (line 14)",
                        "spec.strategy.canary.steps[3].setHeaderRoute.match[0].headerValue.regex: not a valid regular expression: Unclosed group (line 15)"));
        assertThatThrownBy(() -> SpecParser.parse(ROLLOUT + "    canary: {steps: [{analysis: {templates: [{templateName: success-rate}]}}]}\n"
                + TEMPLATE.replace("result >= 0.95", "result >=").replace("{{args.service}}", "{{args.svc}}")))
                .isInstanceOf(InvalidSpecException.class)
                .satisfies(e -> assertThat(((InvalidSpecException) e).errors()).extracting(SpecError::toString).containsExactly(
                        "AnalysisTemplate success-rate: spec.metrics[0].successCondition: not a valid expression: parsing error in '>=' (line 22)",
                        "AnalysisTemplate success-rate: spec.metrics[1].provider.prometheus.query: refers to {{args.svc}} but the template declares no such argument"
                                + " (declared: [service, threshold]) (line 27)"));
    }

    @Test
    void aJudgeOverPrometheusNeedsTheQueriesOfItsMetric() throws Exception {
        String judges = """
                ---
                apiVersion: rollgate.dev/v1alpha1
                kind: AnalysisTemplate
                metadata: {name: judges}
                spec:
                  metrics:
                  - name: errors
                    provider: {judge: {metric: errorRate, prometheus: {address: "http://p:9090", latency: "x"}}}
                  - name: latency
                    provider: {judge: {metric: latency, prometheus: {address: "http://p:9090", requests: "a", errors: "b"}}}
                """;
        assertThatThrownBy(() -> SpecParser.parse(ROLLOUT + "    canary: {analysis: {templates: [{templateName: judges}]}}\n" + judges))
                .isInstanceOf(InvalidSpecException.class)
                .satisfies(e -> assertThat(((InvalidSpecException) e).errors()).extracting(SpecError::toString).containsExactly(
                        "AnalysisTemplate judges: spec.metrics[0].provider.judge.prometheus.requests: required for the errorRate judge (line 18)",
                        "AnalysisTemplate judges: spec.metrics[0].provider.judge.prometheus.errors: required for the errorRate judge (line 18)",
                        "AnalysisTemplate judges: spec.metrics[1].provider.judge.prometheus.latency: required for the latency judge (line 20)"));
        Rollout r = SpecParser.parse(ROLLOUT + "    canary: {analysis: {templates: [{templateName: judges}]}}\n"
                + judges.replace("latency: \"x\"", "requests: a, errors: b")
                        .replace("requests: \"a\", errors: \"b\"", "latency: \"sum by (le) (h{pod_template_hash='{{revision}}'}[{{window}}])\"")).getFirst();
        var latency = (AnalysisTemplate.Provider.Judge) r.spec().analysisTemplates().getFirst().metrics().get(1).provider();
        assertThat(latency.prometheus().latency()).isEqualTo("sum by (le) (h{pod_template_hash='{{revision}}'}[{{window}}])");
    }

    @Test
    void aCanaryNeedsTheProxy() {
        assertThatThrownBy(() -> SpecParser.parse(ROLLOUT.replace("  service: {port: 8080, errorMasking: true}\n", "") + "    canary: {}\n"))
                .hasMessageContaining("spec.strategy: a canary or blue-green rollout needs spec.service.port");
    }
}
