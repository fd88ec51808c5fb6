package dev.rollgate.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.analysis.AnalysisPhase;
import dev.rollgate.spec.AnalysisRef;
import dev.rollgate.spec.CanaryStep;
import dev.rollgate.spec.IntOrPercent;
import dev.rollgate.spec.Strategy;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Canary steps and blue-green phases, walked through with the replicas the plan asks for becoming available. */
class ProgressiveStepsTest {

    private static final AnalysisRef CHECK = new AnalysisRef(List.of("check"), List.of());
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final Map<String, Integer> available = new HashMap<>(Map.of("v1", 4));
    private final Map<String, AnalysisPhase> runs = new HashMap<>();
    private ProgressiveState state = ProgressiveState.NONE.settled("v1");
    private Instant now = T0;

    private ProgressivePlan canary(Strategy.Canary c) {
        ProgressivePlan p = CanarySteps.plan(4, c, state, new CanarySteps.Observed("v2", available, available, runs, false, now));
        state = p.state();
        return p;
    }

    /** The replicas the plan wants become available, as the controller would make them. */
    private void converge(ProgressivePlan p) {
        p.desired().forEach(available::put);
    }

    private static Strategy.Canary canaryOf(List<CanaryStep> steps, Strategy.BackgroundAnalysis bg) {
        return new Strategy.Canary(steps, IntOrPercent.percent(25), IntOrPercent.percent(25), bg, 0, 30, false);
    }

    @Test
    void canaryWalksItsStepsThenPromotes() {
        var c = canaryOf(List.of(new CanaryStep.SetWeight(25), new CanaryStep.Pause(Duration.ofSeconds(10)),
                new CanaryStep.Analysis(CHECK), new CanaryStep.SetWeight(50), new CanaryStep.Pause(null)), null);
        ProgressivePlan p = canary(c);
        assertThat(p.state().canaryHash()).isEqualTo("v2");
        assertThat(p.desired()).containsEntry("v2", 1).containsEntry("v1", 4);
        assertThat(p.weights()).containsEntry("v2", 0); // no traffic before the canary is available
        assertThat(p.waitingOnReplicas()).isTrue();
        converge(p);
        p = canary(c);
        assertThat(p.weights()).containsEntry("v2", 25).containsEntry("v1", 75);
        assertThat(p.stepLabel()).isEqualTo("step 2/5 pause 10s");
        assertThat(p.wakeAt()).isEqualTo(T0.plusSeconds(10));
        assertThat(p.waitingOnReplicas()).isFalse();
        now = now.plusSeconds(10);
        p = canary(c);
        assertThat(p.analyses()).containsOnlyKeys("step-3-1");
        runs.put("step-3-1", AnalysisPhase.SUCCESSFUL);
        p = canary(c);
        assertThat(p.desired()).containsEntry("v2", 2);
        converge(p);
        p = canary(c);
        assertThat(p.weights()).containsEntry("v2", 50);
        assertThat(state.pauseReason()).isEqualTo("CanaryPauseStep");
        assertThat(canary(c).state().stepIndex()).isEqualTo(4); // stays paused
        state = CanarySteps.promote(c, state, false, now);
        p = canary(c);
        assertThat(p.desired()).containsEntry("v2", 4);
        assertThat(p.weights()).containsEntry("v2", 50); // traffic moves when the canary is full size
        converge(p);
        p = canary(c);
        assertThat(p.events()).extracting(ProgressivePlan.Event::reason).contains("RolloutPromoted");
        assertThat(p.weights()).containsExactly(Map.entry("v2", 100));
        assertThat(p.settled()).isTrue();
        assertThat(state.stableHash()).isEqualTo("v2");
        assertThat(state.scaleDownHash()).isEqualTo("v1"); // scaleDownDelaySeconds 0: gone at the next pass
        assertThat(canary(c).desired()).containsOnlyKeys("v2");
    }

    @Test
    void aFailedBackgroundAnalysisAbortsAndRetryStartsOver() {
        var c = canaryOf(List.of(new CanaryStep.SetWeight(10), new CanaryStep.Pause(null)), new Strategy.BackgroundAnalysis(CHECK, 0));
        ProgressivePlan p = canary(c);
        assertThat(p.analyses()).containsOnlyKeys("background-1");
        converge(p);
        canary(c);
        runs.put("background-1", AnalysisPhase.FAILED);
        p = canary(c);
        assertThat(state.aborted()).isTrue();
        assertThat(p.events()).extracting(ProgressivePlan.Event::reason).containsExactly("AnalysisFailed", "RolloutAborted");
        assertThat(p.weights()).containsExactly(Map.entry("v1", 100));
        assertThat(p.desired()).containsEntry("v2", 1); // kept for abortScaleDownDelaySeconds
        assertThat(p.analyses()).isEmpty();
        now = now.plusSeconds(30);
        assertThat(canary(c).desired()).containsEntry("v2", 0);
        state = state.retry(now);
        p = canary(c);
        assertThat(state.aborted()).isFalse();
        assertThat(p.analyses()).containsOnlyKeys("background-2"); // a fresh run, not the failed one
    }

    @Test
    void inconclusiveAnalysisPausesAndPromoteGoesPastIt() {
        var c = canaryOf(List.of(new CanaryStep.Analysis(CHECK), new CanaryStep.SetWeight(100)), null);
        canary(c);
        runs.put("step-1-1", AnalysisPhase.INCONCLUSIVE);
        canary(c);
        assertThat(state.pauseReason()).isEqualTo("InconclusiveAnalysisRun");
        state = CanarySteps.promote(c, state, false, now);
        ProgressivePlan p = canary(c);
        assertThat(p.stepLabel()).isEqualTo("step 2/2 setWeight 100");
        assertThat(p.desired()).containsEntry("v2", 4);
    }

    @Test
    void setCanaryScaleHeaderRoutesAndDynamicStableScale() {
        var c = new Strategy.Canary(List.of(new CanaryStep.SetCanaryScale(null, 3, false),
                new CanaryStep.SetHeaderRoute("beta", List.of(new CanaryStep.HeaderMatch("X-Beta", "1", null, null))),
                new CanaryStep.SetWeight(50), new CanaryStep.Pause(null)), IntOrPercent.percent(25), IntOrPercent.percent(25), null, 0, 30, true);
        ProgressivePlan p = canary(c);
        assertThat(p.desired()).containsEntry("v2", 3);
        converge(p);
        p = canary(c);
        converge(p);
        p = canary(c);
        assertThat(p.routes()).extracting(ProgressivePlan.HeaderRoute::name).containsExactly("beta");
        assertThat(p.weights()).containsEntry("v2", 50);
        assertThat(p.desired()).containsEntry("v1", 2); // dynamic: stable shrinks to its traffic share
    }

    @Test
    void aNewerTemplateReplacesTheCanaryAndUndoToStableSettlesAtOnce() {
        var c = canaryOf(List.of(new CanaryStep.SetWeight(25), new CanaryStep.Pause(null)), null);
        converge(canary(c));
        canary(c);
        ProgressivePlan p = CanarySteps.plan(4, c, state, new CanarySteps.Observed("v3", available, available, runs, false, now));
        assertThat(p.state().canaryHash()).isEqualTo("v3");
        assertThat(p.desired()).doesNotContainKey("v2").containsEntry("v3", 1);
        p = CanarySteps.plan(4, c, state, new CanarySteps.Observed("v1", available, available, runs, false, now));
        assertThat(p.settled()).isTrue();
        assertThat(p.desired()).containsOnlyKeys("v1");
    }

    @Test
    void promoteFullKeepsTheWeightUntilTheCanaryIsFullThenSkipsEverythingLeft() {
        var c = canaryOf(List.of(new CanaryStep.SetWeight(25), new CanaryStep.Pause(null), new CanaryStep.Analysis(CHECK)),
                new Strategy.BackgroundAnalysis(CHECK, 0));
        converge(canary(c));
        canary(c);
        assertThat(state.pauseReason()).isEqualTo("CanaryPauseStep");
        state = CanarySteps.promote(c, state, true, now);
        ProgressivePlan p = canary(c);
        assertThat(p.analyses()).isEmpty();
        assertThat(p.desired()).containsEntry("v2", 4);
        assertThat(p.weights()).containsEntry("v2", 25);
        assertThat(p.stepLabel()).startsWith("promoting");
        converge(p);
        assertThat(canary(c).weights()).containsExactly(Map.entry("v2", 100));
    }

    @Test
    void aRestartSkipsStepsAndAnalysisAndTakesOverWhenFull() {
        var c = canaryOf(List.of(new CanaryStep.SetWeight(10), new CanaryStep.Pause(null)), new Strategy.BackgroundAnalysis(CHECK, 0));
        state = CanarySteps.restart(c, state, "v2", now);
        ProgressivePlan p = canary(c);
        assertThat(p.analyses()).isEmpty();
        assertThat(p.desired()).containsEntry("v2", 4).containsEntry("v1", 4);
        assertThat(p.weights()).containsEntry("v1", 100);
        converge(p);
        p = canary(c);
        assertThat(p.settled()).isTrue();
        assertThat(p.weights()).containsExactly(Map.entry("v2", 100));
    }

    @Test
    void blueGreenPreviewsRunsPrePromotionAnalysisWaitsForPromoteThenSwitches() {
        var bg = new Strategy.BlueGreen(8081, null, 2, false, 0, 30, 30, CHECK, CHECK);
        ProgressivePlan p = blueGreen(bg);
        assertThat(p.desired()).containsEntry("v2", 2).containsEntry("v1", 4);
        assertThat(p.preview()).isEqualTo("v2");
        assertThat(p.weights()).containsExactly(Map.entry("v1", 100));
        converge(p);
        p = blueGreen(bg);
        assertThat(p.analyses()).containsOnlyKeys("pre-1");
        runs.put("pre-1", AnalysisPhase.SUCCESSFUL);
        blueGreen(bg);
        assertThat(state.pauseReason()).isEqualTo("BlueGreenPause");
        state = BlueGreenSteps.promote(state, false, now);
        p = blueGreen(bg);
        assertThat(p.desired()).containsEntry("v2", 4);
        assertThat(p.weights()).containsExactly(Map.entry("v1", 100));
        converge(p);
        p = blueGreen(bg);
        assertThat(p.weights()).containsExactly(Map.entry("v2", 100));
        assertThat(p.analyses()).containsOnlyKeys("post-2");
        runs.put("post-2", AnalysisPhase.FAILED);
        p = blueGreen(bg);
        assertThat(state.aborted()).isTrue();
        assertThat(p.weights()).containsExactly(Map.entry("v1", 100)); // switched back; v1 never went away
        assertThat(p.desired()).containsEntry("v1", 4);
    }

    @Test
    void blueGreenAutoPromotesAfterItsDelayAndKeepsTheOldActiveForTheScaleDownDelay() {
        var bg = new Strategy.BlueGreen(null, null, null, true, 5, 30, 30, null, null);
        converge(blueGreen(bg));
        ProgressivePlan p = blueGreen(bg);
        assertThat(p.wakeAt()).isEqualTo(T0.plusSeconds(5));
        now = now.plusSeconds(5);
        blueGreen(bg);
        p = blueGreen(bg);
        assertThat(p.settled()).isTrue();
        assertThat(p.weights()).containsExactly(Map.entry("v2", 100));
        assertThat(p.desired()).containsEntry("v1", 4);
        now = now.plusSeconds(30);
        assertThat(blueGreen(bg).desired()).containsOnlyKeys("v2");
    }

    private ProgressivePlan blueGreen(Strategy.BlueGreen bg) {
        ProgressivePlan p = BlueGreenSteps.plan(4, bg, state, new CanarySteps.Observed("v2", available, available, runs, false, now));
        state = p.state();
        return p;
    }

    @Test
    void setCanaryScaleReplicasMayExceedSpecReplicasAsInArgo() {
        var c = new Strategy.Canary(List.of(new CanaryStep.SetCanaryScale(null, 6, false), new CanaryStep.Pause(null)),
                IntOrPercent.percent(25), IntOrPercent.percent(25), null, 0, 30, false);
        assertThat(canary(c).desired()).containsEntry("v2", 6).containsEntry("v1", 4);
    }
}
