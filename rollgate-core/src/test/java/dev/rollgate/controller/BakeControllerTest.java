package dev.rollgate.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.analysis.AnalysisPhase;
import dev.rollgate.rollout.BakeSteps;
import dev.rollgate.simulation.SimulatedAnalyses;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bake and the rollback window through the real reconcile loop in virtual time: the previous
 * revision kept warm after promotion, the way back to it in one routing change, and an undo to a
 * recent revision without the steps.
 */
class BakeControllerTest {

    static String canary(String version, String bake, int rollbackWindow) {
        return """
                spec:
                  replicas: 4
                  rollbackWindow: {revisions: %d}
                  service: {port: 8090}
                  strategy:
                    canary:
                      scaleDownDelaySeconds: 5
                      abortScaleDownDelaySeconds: 5
                      steps:
                      - setWeight: 25
                      - pause: {duration: 10s}
                      %s
                  template: {version: %s, command: [server]}
                """.formatted(rollbackWindow, bake, version) + ProgressiveControllerTest.CHECK;
    }

    static final String BAKE = "bake: {duration: 60s, keepPrevious: 2, analysis: {templates: [{templateName: check}]}}";

    /** Bake analysis runs end as {@code bake} says after {@code seconds}; every other run passes. */
    private static java.util.function.BiFunction<String, dev.rollgate.spec.AnalysisRef, SimulatedAnalyses.Outcome> bakeEnds(
            AnalysisPhase bake, int seconds) {
        return (key, ref) -> key.startsWith(BakeSteps.RUN_PREFIX) ? new SimulatedAnalyses.Outcome(bake, Duration.ofSeconds(seconds))
                : new SimulatedAnalyses.Outcome(AnalysisPhase.SUCCESSFUL, Duration.ofSeconds(1));
    }

    private static ControllerFixture bakingV2(AnalysisPhase bake, int seconds) {
        var f = ControllerFixture.applied(canary("v1", BAKE, 0), 2000).runToComplete().analysis(bakeEnds(bake, seconds));
        f.apply(canary("v2", BAKE, 0));
        f.runUntil(x -> x.reasons().contains("BakeStarted"), Duration.ofMinutes(2));
        return f;
    }

    @Test
    void afterPromotionThePreviousRevisionStaysWarmOutOfRoutingUntilTheBakeEnds() {
        var f = bakingV2(AnalysisPhase.SUCCESSFUL, 90);
        f.runUntil(x -> x.sizes().equals(Map.of(1, 2, 2, 4)) && x.counts().getFirst().available() == 2, Duration.ofSeconds(20));
        assertThat(f.weights()).as("users are all on v2").isEqualTo(Map.of(2, 100));
        assertThat(f.sim.router().plan().weights()).as("v1 is known to the router with no share").containsValue(0).hasSize(2);
        assertThat(f.status().phase()).isEqualTo("Complete");
        assertThat(f.status().progressive().step()).startsWith("baking (");
        assertThat(f.events("BakeStarted").getFirst().message()).contains("keeps 2 replicas warm");

        var started = f.elapsed();
        f.runUntil(x -> x.reasons().contains("BakeCompleted"), Duration.ofSeconds(70));
        assertThat(f.elapsed().minus(started)).as("the bake lasts its duration").isGreaterThan(Duration.ofSeconds(50));
        f.runUntil(x -> x.sizes().get(1) == 0, Duration.ofSeconds(5));
        assertThat(f.storedSpec().template().version()).isEqualTo("v2");
        assertThat(f.reasons()).doesNotContain("BakeRolledBack");
    }

    @Test
    void aFailedBakeAnalysisSendsTheTrafficBackToTheWarmRevisionInOneChange() {
        var f = bakingV2(AnalysisPhase.FAILED, 20);
        f.runUntil(x -> x.counts().getFirst().available() == 2, Duration.ofSeconds(20));
        f.runUntil(x -> x.reasons().contains("BakeRolledBack"), Duration.ofSeconds(40));
        // The same pass that saw the failure routed every request to v1's warm replicas.
        var plan = f.sim.router().plan();
        assertThat(plan.weights()).hasSize(1).containsValue(100);
        var v1 = f.groups().stream().filter(g -> "v1".equals(g.template().version())).findFirst().orElseThrow();
        assertThat(plan.weights()).containsKey(v1.hash());
        assertThat(f.events("BakeRolledBack").getFirst().message()).contains("bake analysis Failed").contains("2 warm replicas ready");

        f.runUntil(x -> "RolledBack".equals(x.status().phase()), Duration.ofMinutes(1));
        assertThat(f.storedSpec().template().version()).as("the previous template is put back").isEqualTo("v1");
        assertThat(f.status().abortMessage()).contains("rolled back during its bake");
        f.runUntil(x -> x.groups().stream().filter(g -> "v2".equals(g.template().version())).allMatch(g -> g.replicas() == 0),
                Duration.ofSeconds(10));
        assertThat(f.groups().stream().filter(g -> "v1".equals(g.template().version())).findFirst().orElseThrow().replicas()).isEqualTo(4);
    }

    @Test
    void undoDuringTheBakeGoesBackToTheWarmRevisionWithoutTheSteps() {
        var f = bakingV2(AnalysisPhase.SUCCESSFUL, 90);
        f.runUntil(x -> x.counts().getFirst().available() == 2, Duration.ofSeconds(20));
        int steps = f.events("StepCompleted").size();
        assertThat(f.verb(s -> Verbs.abort("web", s.spec(), s.status(), f.sim.clock.instant())))
                .isInstanceOf(VerbResult.Refused.class).asString().contains("rollout undo");
        assertThat(f.verb(s -> Verbs.undo("web", s.spec(), s.status(), f.groups(), 0, (r, h) -> java.util.Optional.empty())))
                .isInstanceOf(VerbResult.Done.class);
        f.runUntil(x -> x.reasons().contains("BakeRolledBack"), Duration.ofSeconds(5));
        assertThat(f.events("BakeRolledBack").getFirst().message()).contains("'rollout undo' during the bake");
        assertThat(f.weights()).hasSize(1).containsValue(100);
        f.runToComplete();
        assertThat(f.status().version()).isEqualTo("v1");
        assertThat(f.events("StepCompleted")).as("no canary steps on the way back").hasSize(steps);
    }

    @Test
    void promoteDuringTheBakeEndsIt() {
        var f = bakingV2(AnalysisPhase.SUCCESSFUL, 90);
        var started = f.elapsed();
        var promoted = f.verb(s -> Verbs.promote("web", s.spec(), s.status(), false, f.sim.clock.instant()));
        assertThat(promoted).isInstanceOf(VerbResult.Done.class);
        assertThat(((VerbResult.Done) promoted).message()).isEqualTo("bake ended");
        f.runUntil(x -> x.sizes().get(1) == 0, Duration.ofSeconds(5));
        assertThat(f.elapsed().minus(started)).as("well before the bake's 60 s").isLessThan(Duration.ofSeconds(10));
        assertThat(f.weights()).isEqualTo(Map.of(2, 100));
    }

    @Test
    void aBlueGreenBakesTheOldActiveToo() {
        String bake = "bake: {duration: 60s, analysis: {templates: [{templateName: check}]}}";
        java.util.function.Function<String, String> spec = v -> """
                spec:
                  replicas: 2
                  service: {port: 8070}
                  strategy:
                    blueGreen:
                      scaleDownDelaySeconds: 5
                      abortScaleDownDelaySeconds: 0
                      %s
                  template: {version: %s, command: [server]}
                """.formatted(bake, v) + ProgressiveControllerTest.CHECK;
        var f = ControllerFixture.applied(spec.apply("v1"), 2000).runToComplete().analysis(bakeEnds(AnalysisPhase.FAILED, 15));
        f.apply(spec.apply("v2"));
        f.runUntil(x -> x.reasons().contains("BakeStarted"), Duration.ofMinutes(1));
        assertThat(f.sizes()).as("keepPrevious defaults to spec.replicas").isEqualTo(Map.of(1, 2, 2, 2));
        assertThat(f.weights()).isEqualTo(Map.of(2, 100));
        f.runUntil(x -> "RolledBack".equals(x.status().phase()), Duration.ofMinutes(1));
        assertThat(f.storedSpec().template().version()).isEqualTo("v1");
        f.runUntil(x -> x.groups().stream().filter(g -> "v2".equals(g.template().version())).allMatch(g -> g.replicas() == 0),
                Duration.ofSeconds(5));
    }

    @Test
    void anUndoWithinTheRollbackWindowSkipsTheSteps() {
        var f = ControllerFixture.applied(canary("v1", "", 2), 2000).runToComplete();
        f.apply(canary("v2", "", 2)).runToComplete();
        f.apply(canary("v3", "", 2)).runToComplete();
        int steps = f.events("StepCompleted").size();
        f.verb(s -> Verbs.undo("web", s.spec(), s.status(), f.groups(), 1, (r, h) -> java.util.Optional.empty()));
        f.runToComplete();
        assertThat(f.status().version()).isEqualTo("v1");
        assertThat(f.events("RollbackWindow")).hasSize(1);
        assertThat(f.events("StepCompleted")).as("two revisions back, within a window of 2").hasSize(steps);
    }

    @Test
    void anUndoOutsideTheRollbackWindowWalksTheSteps() {
        var f = ControllerFixture.applied(canary("v1", "", 1), 2000).runToComplete();
        f.apply(canary("v2", "", 1)).runToComplete();
        f.apply(canary("v3", "", 1)).runToComplete();
        int steps = f.events("StepCompleted").size();
        f.verb(s -> Verbs.undo("web", s.spec(), s.status(), f.groups(), 1, (r, h) -> java.util.Optional.empty()));
        f.runToComplete();
        assertThat(f.status().version()).isEqualTo("v1");
        assertThat(f.reasons()).doesNotContain("RollbackWindow");
        assertThat(f.events("StepCompleted")).hasSize(steps + 2);
    }
}
