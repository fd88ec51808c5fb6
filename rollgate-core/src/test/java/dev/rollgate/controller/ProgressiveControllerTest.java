package dev.rollgate.controller;

import static dev.rollgate.controller.ControllerFixture.every;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.analysis.AnalysisPhase;
import dev.rollgate.simulation.SimulatedAnalyses;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Canary and blue-green through the real reconcile loop in virtual time: steps, analysis, the verbs, a controller restart. */
class ProgressiveControllerTest {

    static final String CHECK = """
            ---
            apiVersion: rollgate.dev/v1alpha1
            kind: AnalysisTemplate
            metadata: {name: check}
            spec:
              metrics:
              - name: ok
                provider: {builtin: {metric: successRate, revision: canary, window: 10s}}
            """;

    static String canary(String version) {
        return """
                spec:
                  replicas: 4
                  progressDeadlineSeconds: 60
                  service: {port: 8090}
                  strategy:
                    canary:
                      scaleDownDelaySeconds: 5
                      abortScaleDownDelaySeconds: 5
                      steps:
                      - setWeight: 25
                      - analysis: {templates: [{templateName: check}]}
                      - setWeight: 50
                      - pause: {duration: 10s}
                  template: {version: %s, command: [server]}
                """.formatted(version) + CHECK;
    }

    static String blueGreen(String version) {
        return """
                spec:
                  replicas: 2
                  service: {port: 8070}
                  strategy:
                    blueGreen:
                      previewPort: 8071
                      previewHeader: {name: X-Preview, value: "1"}
                      autoPromotionEnabled: false
                      scaleDownDelaySeconds: 10
                      prePromotionAnalysis: {templates: [{templateName: check}]}
                      postPromotionAnalysis: {templates: [{templateName: check}]}
                  template: {version: %s, command: [server]}
                """.formatted(version) + CHECK;
    }

    private static ControllerFixture canaryStartedOnV2() {
        var f = ControllerFixture.applied(canary("v1"), 2000).runToComplete();
        assertThat(f.weights()).as("one revision: every request to it").isEqualTo(Map.of(1, 100));
        return f.apply(canary("v2"));
    }

    @ParameterizedTest(name = "restart of the controller in the middle: {0}")
    @ValueSource(booleans = {false, true})
    void aCanaryWalksItsStepsWithAPassingAnalysis(boolean restartMidway) {
        var f = canaryStartedOnV2();
        f.runUntil(x -> x.weights().equals(Map.of(1, 75, 2, 25)), Duration.ofMinutes(1));
        assertThat(f.sizes()).as("ceil(25 % of 4) canary beside a full stable").isEqualTo(Map.of(1, 4, 2, 1));
        f.runUntil(x -> x.status().progressive().step().startsWith("step 2/4 analysis"), Duration.ofMinutes(1));
        if (restartMidway) f.sim.restartController();
        f.runUntil(x -> x.weights().equals(Map.of(1, 50, 2, 50)), Duration.ofMinutes(1));
        f.runToComplete();
        assertThat(f.weights()).isEqualTo(Map.of(2, 100));
        assertThat(f.reasons()).contains("StepCompleted", "RolloutPromoted", "RolloutCompleted").doesNotContain("RolloutAborted");
        f.runUntil(x -> x.sizes().get(1) == 0, Duration.ofSeconds(10));
        assertThat(f.elapsed().toSeconds()).as("stable kept scaleDownDelaySeconds after the promotion").isGreaterThanOrEqualTo(5);
    }

    @ParameterizedTest(name = "restart of the controller in the middle: {0}")
    @ValueSource(booleans = {false, true})
    void aFailedAnalysisAbortsToStableAndRetryStartsAgain(boolean restartMidway) {
        var f = canaryStartedOnV2().analysis(every(AnalysisPhase.FAILED, 10));
        f.restarting(restartMidway);
        f.runUntil(x -> "Aborted".equals(x.status().phase()), Duration.ofMinutes(2));
        assertThat(f.weights()).isEqualTo(Map.of(1, 100));
        assertThat(f.events("RolloutAborted").getFirst().message()).contains("analysis at step 2 Failed");
        assertThat(f.status().progressing().reason()).isEqualTo("Aborted");
        f.runUntil(x -> x.sizes().get(2) == 0, Duration.ofSeconds(10));
        assertThat(f.verb(s -> Verbs.promote("web", s.spec(), s.status(), false, f.sim.clock.instant())))
                .isInstanceOf(VerbResult.Refused.class);
        f.analysis(every(AnalysisPhase.SUCCESSFUL, 5));
        assertThat(f.verb(s -> Verbs.retry("web", s.spec(), s.status(), f.sim.clock.instant()))).isInstanceOf(VerbResult.Done.class);
        f.runToComplete();
        assertThat(f.status().version()).isEqualTo("v2");
        assertThat(f.verb(s -> Verbs.retry("web", s.spec(), s.status(), f.sim.clock.instant()))).isEqualTo(
                new VerbResult.Refused(VerbResult.Kind.CONFLICT, "web has no rollout in progress (it is on its stable revision)"));
    }

    @ParameterizedTest(name = "restart of the controller in the middle: {0}")
    @ValueSource(booleans = {false, true})
    void anInconclusiveAnalysisPausesUntilAPersonPromotes(boolean restartMidway) {
        var f = canaryStartedOnV2().analysis(every(AnalysisPhase.INCONCLUSIVE, 10));
        f.restarting(restartMidway);
        f.runUntil(x -> "Paused".equals(x.status().phase()), Duration.ofMinutes(2));
        assertThat(f.status().progressive().state().pauseReason()).isEqualTo("InconclusiveAnalysisRun");
        f.runUntil(x -> x.elapsed().compareTo(Duration.ofMinutes(5)) > 0, Duration.ofMinutes(6));
        assertThat(f.status().progressing().reason()).as("a pause stops the deadline").isNotEqualTo("ProgressDeadlineExceeded");
        assertThat(f.weights()).isEqualTo(Map.of(1, 75, 2, 25));
        f.verb(s -> Verbs.promote("web", s.spec(), s.status(), false, f.sim.clock.instant()));
        f.runToComplete();
        assertThat(f.weights()).isEqualTo(Map.of(2, 100));
    }

    @ParameterizedTest(name = "restart of the controller in the middle: {0}")
    @ValueSource(booleans = {false, true})
    void promoteFullSkipsEveryRemainingStepAndAnalysis(boolean restartMidway) {
        var f = canaryStartedOnV2().analysis(every(AnalysisPhase.RUNNING, 0));
        f.restarting(restartMidway);
        f.runUntil(x -> x.status().progressive().step().startsWith("step 2/4"), Duration.ofMinutes(1));
        var done = f.verb(s -> Verbs.promote("web", s.spec(), s.status(), true, f.sim.clock.instant()));
        assertThat(((VerbResult.Done) done).message()).isEqualTo("promoted (full)");
        f.runToComplete();
        assertThat(f.weights()).isEqualTo(Map.of(2, 100));
        assertThat(f.events("StepCompleted")).hasSize(1);
        assertThat(f.restarts() > 0).as("restarted in the middle").isEqualTo(restartMidway);
    }

    @ParameterizedTest(name = "restart of the controller in the middle: {0}")
    @ValueSource(booleans = {false, true})
    void blueGreenPreviewsRunsBothAnalysesAndSwitchesOnPromote(boolean restartMidway) {
        var f = ControllerFixture.applied(blueGreen("v1"), 1000).runToComplete();
        f.apply(blueGreen("v2"));
        f.runUntil(x -> "Paused".equals(x.status().phase()), Duration.ofMinutes(1));
        assertThat(f.status().progressive().state().pauseReason()).isEqualTo("BlueGreenPause");
        assertThat(f.sim.router().previewPort()).isEqualTo(8071);
        assertThat(f.weights()).as("all users still on v1 while v2 previews").isEqualTo(Map.of(1, 100));
        var routes = f.sim.router().plan().routes();
        assertThat(routes).singleElement().satisfies(r -> assertThat(r.match().getFirst().headerName()).isEqualTo("X-Preview"));
        if (restartMidway) {
            f.sim.restartController();
            f.sim.settle();
            assertThat(f.sim.router().previewPort()).as("the new controller opens the preview again").isEqualTo(8071);
        }
        f.verb(s -> Verbs.promote("web", s.spec(), s.status(), false, f.sim.clock.instant()));
        f.runToComplete();
        assertThat(f.weights()).isEqualTo(Map.of(2, 100));
        assertThat(f.reasons()).contains("RolloutPromoted");
    }

    @ParameterizedTest(name = "restart of the controller in the middle: {0}")
    @ValueSource(booleans = {false, true})
    void aFailedPostPromotionAnalysisSwitchesBack(boolean restartMidway) {
        var f = ControllerFixture.applied(blueGreen("v1"), 1000).runToComplete();
        f.restarting(restartMidway);
        f.apply(blueGreen("v2"));
        f.analysis((key, ref) -> new SimulatedAnalyses.Outcome(key.startsWith("post") ? AnalysisPhase.FAILED : AnalysisPhase.SUCCESSFUL,
                Duration.ofSeconds(3)));
        f.runUntil(x -> "Paused".equals(x.status().phase()), Duration.ofMinutes(1));
        f.verb(s -> Verbs.promote("web", s.spec(), s.status(), false, f.sim.clock.instant()));
        f.runUntil(x -> x.weights().equals(Map.of(2, 100)), Duration.ofMinutes(1));
        f.runUntil(x -> "Aborted".equals(x.status().phase()), Duration.ofMinutes(1));
        assertThat(f.weights()).isEqualTo(Map.of(1, 100));
        assertThat(f.events("RolloutAborted").getFirst().message()).contains("post-promotion analysis Failed");
    }

    @ParameterizedTest(name = "restart of the controller in the middle: {0}")
    @ValueSource(booleans = {false, true})
    void abortIsATransitionOfTheStoredState(boolean restartMidway) {
        var f = canaryStartedOnV2().analysis(every(AnalysisPhase.RUNNING, 0));
        f.restarting(restartMidway);
        f.runUntil(x -> x.weights().equals(Map.of(1, 75, 2, 25)), Duration.ofMinutes(1));
        var aborted = f.verb(s -> Verbs.abort("web", s.spec(), s.status(), f.sim.clock.instant()));
        assertThat(((VerbResult.Done) aborted).message()).isEqualTo("aborted");
        assertThat(((VerbResult.Done) f.verb(s -> Verbs.abort("web", s.spec(), s.status(), f.sim.clock.instant()))).message())
                .isEqualTo("already aborted");
        f.sim.settle();
        assertThat(f.weights()).isEqualTo(Map.of(1, 100));
    }
}
