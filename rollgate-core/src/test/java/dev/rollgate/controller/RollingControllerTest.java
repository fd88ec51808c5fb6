package dev.rollgate.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RollingUpdate and Recreate through the real reconcile loop in virtual time, with a controller restart in the middle. */
class RollingControllerTest {

    static String rolling(String version, int replicas, String extra) {
        return "spec:\n  replicas: " + replicas + "\n  minReadySeconds: 2\n  progressDeadlineSeconds: 60\n" + extra
                + "  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}\n"
                + "  template: {version: " + version + ", command: [server]}\n";
    }

    @ParameterizedTest(name = "restart of the controller in the middle: {0}")
    @ValueSource(booleans = {false, true})
    void aRollingUpdateKeepsItsBoundsAndCompletes(boolean restartMidway) {
        var f = ControllerFixture.applied(rolling("v1", 4, ""), 3000).runToComplete();
        assertThat(f.status().revision()).isEqualTo(1);
        f.apply(rolling("v2", 4, "")).bounded(5, 4);
        if (restartMidway) {
            f.runUntil(x -> x.sizes().getOrDefault(2, 0) == 2, Duration.ofMinutes(5));
            f.sim.restartController();
        }
        f.runToComplete();
        assertThat(f.sizes()).isEqualTo(Map.of(1, 0, 2, 4));
        assertThat(f.status().revision()).isEqualTo(2);
        assertThat(f.status().version()).isEqualTo("v2");
        // 4 one-replica batches, each 3 s to Ready + 2 s minReadySeconds.
        assertThat(f.events("RolloutCompleted").getLast().message()).isEqualTo("revision 2 (v2) complete: 4 of 4 available after 20.0s");
        assertThat(f.events("ScalingReplicaSet")).extracting(RolloutEvent::message).contains(
                "Scaled up revision 2 (v2) to 1 from 0", "Scaled down revision 1 (v1) to 3 from 4", "Scaled down revision 1 (v1) to 0 from 1");
    }

    @ParameterizedTest(name = "restart of the controller in the middle: {0}")
    @ValueSource(booleans = {false, true})
    void recreateStopsEveryOldReplicaBeforeTheFirstNewOneStarts(boolean restartMidway) {
        String recreate = "spec:\n  replicas: 3\n  strategy: {recreate: {}}\n  template: {version: v1, command: [server]}\n";
        var f = ControllerFixture.applied(recreate, n -> 1000, Duration.ofSeconds(4)).runToComplete();
        f.restarting(restartMidway);
        f.apply(recreate.replace("v1", "v2"));
        f.runUntil(x -> {
            var c = x.counts();
            assertThat(c.get(0).current() == 0 || c.get(1).current() == 0).as("old and new never run together at " + x.elapsed()).isTrue();
            return x.status().revision() == 2 && x.status().lastCompleteRevision() == 2;
        }, Duration.ofMinutes(5));
        // 4 s of termination, then 1 s to Ready.
        assertThat(f.events("RolloutCompleted").getLast().message()).endsWith("after 5.0s");
        assertThat(f.restarts() > 0).as("restarted in the middle").isEqualTo(restartMidway);
    }

    @ParameterizedTest(name = "restart of the controller in the middle: {0}")
    @ValueSource(booleans = {false, true})
    void changingReplicasMidRolloutScalesEveryRevisionInProportion(boolean restartMidway) {
        String v1 = "spec:\n  replicas: 10\n  strategy: {rollingUpdate: {maxSurge: 3, maxUnavailable: 2}}\n  template: {version: v1, command: [server]}\n";
        var f = ControllerFixture.applied(v1, 1000).runToComplete();
        f.restarting(restartMidway);
        f.apply(v1.replace("v1", "v2"));
        f.sim.settle();                      // revision 2 gets 3 (maxSurge), revision 1 drops to 8 (maxUnavailable), then 2 more for revision 2
        assertThat(f.sizes()).isEqualTo(Map.of(1, 8, 2, 5));
        f.verb(s -> Verbs.pause("web", s.spec(), s.status(), true));
        f.sim.apply(ControllerFixture.spec(v1.replace("v1", "v2").replace("replicas: 10", "replicas: 20")).withPaused(true));
        if (restartMidway) f.sim.restartController(); // the new controller sees the scaling event from what is stored
        f.sim.settle();
        // Kubernetes' proportional scaling: 13 -> 23 allowed (20 + 3), the 10 more shared 8:5.
        assertThat(f.sizes().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(23);
        assertThat(f.sizes().get(1)).isEqualTo(14);
        assertThat(f.sizes().get(2)).isEqualTo(9);
        assertThat(f.events("ScalingReplicaSet").getLast().message()).endsWith("(replicas changed to 20: proportional scaling)");
    }

    @ParameterizedTest(name = "restart of the controller in the middle: {0}")
    @ValueSource(booleans = {false, true})
    void aPausedRolloutHoldsItsDeadlineAndGoesOnWhenResumed(boolean restartMidway) {
        var f = ControllerFixture.applied(rolling("v1", 2, ""), 1000).runToComplete();
        f.restarting(restartMidway);
        f.apply(rolling("v2", 2, "  paused: true\n"));
        f.runUntil(x -> x.elapsed().compareTo(Duration.ofMinutes(5)) > 0, Duration.ofMinutes(6));
        assertThat(f.sizes()).isEqualTo(Map.of(1, 2, 2, 0));
        assertThat(f.status().progressing().reason()).isEqualTo("DeploymentPaused");
        assertThat(f.status().phase()).isEqualTo("Paused");
        assertThat(f.verb(s -> Verbs.pause("web", s.spec(), s.status(), false))).isInstanceOf(VerbResult.Done.class);
        f.runToComplete();
        assertThat(f.reasons()).contains("DeploymentPaused", "Resumed", "DeploymentResumed");
        assertThat(f.status().revision()).isEqualTo(2);
    }

    @ParameterizedTest(name = "restart of the controller in the middle: {0}")
    @ValueSource(booleans = {false, true})
    void aRevisionThatNeverBecomesReadyIsRolledBackAtItsDeadline(boolean restartMidway) {
        String abort = "  progressDeadlineAbort: true\n";
        var f = ControllerFixture.applied(rolling("v1", 3, abort), n -> n < 3 ? 1000 : dev.rollgate.simulation.SimulatedPlatform.NEVER_READY,
                Duration.ZERO).runToComplete();
        f.apply(rolling("v2", 3, abort)).bounded(4, 3);
        if (restartMidway) {
            f.runUntil(x -> x.elapsed().compareTo(Duration.ofSeconds(40)) > 0, Duration.ofMinutes(2));
            f.sim.restartController();
        }
        f.runUntil(x -> x.status().abortedRevision() == 2, Duration.ofMinutes(3));
        assertThat(f.storedSpec().template().version()).as("the template of the last complete revision").isEqualTo("v1");
        assertThat(f.events("RolloutAborted").getFirst().message()).isEqualTo("revision 2 (v2) made no progress for 60s "
                + "(progressDeadlineSeconds); rolling back to revision 1 (v1)");
        f.runUntil(x -> "RolledBack".equals(x.status().phase()), Duration.ofMinutes(2));
        assertThat(f.status().revision()).as("the old template comes back as a new revision, as Kubernetes does").isEqualTo(3);
        assertThat(f.groups()).extracting(Observed.Group::revision).containsExactly(2, 3);
        assertThat(f.sizes()).isEqualTo(Map.of(2, 0, 3, 3));
    }

    @ParameterizedTest(name = "restart of the controller in the middle: {0}")
    @ValueSource(booleans = {false, true})
    void undoGoesBackToAnEarlierTemplateAndRefusesARevisionThatDoesNotExist(boolean restartMidway) {
        var f = ControllerFixture.applied(rolling("v1", 2, ""), 1000).runToComplete();
        f.restarting(restartMidway);
        f.apply(rolling("v2", 2, "")).runToComplete();
        VerbResult missing = f.verb(s -> Verbs.undo("web", s.spec(), s.status(), f.groups(), 9, (n, h) -> java.util.Optional.empty()));
        assertThat(missing).isEqualTo(new VerbResult.Refused(VerbResult.Kind.NOT_FOUND, "revision 9 of web not found; revisions: [1, 2]"));
        VerbResult refused = f.verb(s -> Verbs.undo("web", s.spec(), s.status(), f.groups(), 1, (n, h) -> java.util.Optional.of("contract ran")));
        assertThat(refused).isEqualTo(new VerbResult.Refused(VerbResult.Kind.CONFLICT, "refused: contract ran"));
        VerbResult undo = f.verb(s -> Verbs.undo("web", s.spec(), s.status(), f.groups(), 0, (n, h) -> java.util.Optional.empty()));
        assertThat(((VerbResult.Done) undo).message()).isEqualTo("rolled back to revision 1");
        f.runToComplete();
        assertThat(f.status().version()).isEqualTo("v1");
        assertThat(f.status().revision()).isEqualTo(3);
        assertThat(f.restarts() > 0).as("restarted in the middle").isEqualTo(restartMidway);
    }

    @ParameterizedTest(name = "restart of the controller in the middle: {0}")
    @ValueSource(booleans = {false, true})
    void restartRollsOutTheSameProgramAsANewRevision(boolean restartMidway) {
        var f = ControllerFixture.applied(rolling("v1", 2, ""), 1000).runToComplete();
        f.restarting(restartMidway);
        f.verb(s -> Verbs.restart("web", s.spec(), s.status(), f.sim.clock.instant()));
        f.runToComplete();
        assertThat(f.status().revision()).isEqualTo(2);
        assertThat(f.storedSpec().template().env()).containsKey(Verbs.RESTARTED_AT);
        assertThat(f.verb(s -> Verbs.promote("web", s.spec(), s.status(), false, f.sim.clock.instant())))
                .isEqualTo(new VerbResult.Refused(VerbResult.Kind.CONFLICT, "promote is for canary and blue-green rollouts; web uses RollingUpdate"));
    }
}
