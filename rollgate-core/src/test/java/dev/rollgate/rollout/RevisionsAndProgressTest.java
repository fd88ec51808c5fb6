package dev.rollgate.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.rollout.Revisions.Revision;
import dev.rollgate.spec.Template;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RevisionsAndProgressTest {

    static Template template(String version, Map<String, String> env) {
        return new Template(version, List.of("server", "--port", "$(PORT)"), env, null, null, null, null, null, 30);
    }

    @Test
    void equalTemplatesHashAlikeAndAnyChangeChangesTheHash() {
        String a = TemplateHash.of(template("v1", Map.of("A", "1", "B", "2")));
        assertThat(a).matches("[0-9a-f]{10}");
        assertThat(TemplateHash.of(template("v1", Map.of("B", "2", "A", "1")))).isEqualTo(a);
        assertThat(TemplateHash.of(template("v1", Map.of("A", "1", "B", "3")))).isNotEqualTo(a);
        assertThat(TemplateHash.of(template("v2", Map.of("A", "1", "B", "2")))).isNotEqualTo(a);
    }

    @Test
    void revisionsCountUpAndAReappliedTemplateIsReadoptedWithTheNextNumber() {
        List<Revision> h = Revisions.apply(List.of(), "aaa");
        assertThat(h).containsExactly(new Revision(1, "aaa"));
        h = Revisions.apply(h, "bbb");
        h = Revisions.apply(h, "ccc");
        assertThat(h).containsExactly(new Revision(1, "aaa"), new Revision(2, "bbb"), new Revision(3, "ccc"));
        assertThat(Revisions.apply(h, "ccc")).as("the current template again: nothing changes").isEqualTo(h);
        assertThat(Revisions.apply(h, "aaa")).as("rollback to revision 1: re-adopted as revision 4")
                .containsExactly(new Revision(2, "bbb"), new Revision(3, "ccc"), new Revision(4, "aaa"));
    }

    @Test
    void historyBeyondTheLimitIsDeletedOldestFirstOnlyWhenEmpty() {
        List<Revision> h = List.of(new Revision(1, "a"), new Revision(2, "b"), new Revision(3, "c"), new Revision(4, "d"));
        List<ReplicaSetState> sets = List.of(new ReplicaSetState(1, 0, 0, 0, 0), new ReplicaSetState(2, 0, 1, 1, 1),
                new ReplicaSetState(3, 0, 0, 0, 0), new ReplicaSetState(4, 3, 3, 3, 3));
        assertThat(Revisions.toDelete(h, sets, 1)).as("revision 2 still has a replica terminating")
                .containsExactly(new Revision(1, "a"), new Revision(3, "c"));
        assertThat(Revisions.toDelete(h, sets, 3)).isEmpty();
        assertThat(Revisions.toDelete(h, sets, 0)).doesNotContain(new Revision(4, "d"));
    }

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void aPausedRolloutNeverTimesOutAndItsDeadlineRunsFromTheResume() {
        var s1 = new Progress.Status(5, 1, 4, 4);
        var started = Progress.sync(4, 1, DEADLINE, s1, s1, null, null, true, false, T0);
        var paused = Progress.sync(4, 1, DEADLINE, s1, s1, started.progressing(), started.available(), false, true, T0.plusSeconds(10));
        assertThat(paused.progressing()).extracting(Condition::status, Condition::reason).containsExactly("Unknown", "DeploymentPaused");
        var longAfter = Progress.sync(4, 1, DEADLINE, s1, s1, paused.progressing(), paused.available(), false, true, T0.plusSeconds(3600));
        assertThat(longAfter.timedOut()).isFalse();
        assertThat(longAfter.progressing().reason()).isEqualTo("DeploymentPaused");
        Instant resume = T0.plusSeconds(4000);
        var resumed = Progress.sync(4, 1, DEADLINE, s1, s1, longAfter.progressing(), longAfter.available(), false, false, resume);
        assertThat(resumed.progressing().reason()).isEqualTo("DeploymentResumed");
        assertThat(resumed.timedOut()).isFalse();
        assertThat(Progress.sync(4, 1, DEADLINE, s1, s1, resumed.progressing(), resumed.available(), false, false, resume.plusSeconds(60))
                .timedOut()).isFalse();
        assertThat(Progress.sync(4, 1, DEADLINE, s1, s1, resumed.progressing(), resumed.available(), false, false, resume.plusSeconds(61))
                .timedOut()).isTrue();
    }

    @Test
    void progressingConditionFollowsTheDeploymentController() {
        var s0 = new Progress.Status(4, 0, 4, 4);
        var r = Progress.sync(4, 1, DEADLINE, s0, new Progress.Status(5, 1, 4, 4), null, null, true, T0);
        assertThat(r.progressing().reason()).isEqualTo("ReplicaSetUpdated"); // created, then at once progressing
        assertThat(r.available().status()).isEqualTo("True");

        // No change for 30 s: nothing moves.
        var s1 = new Progress.Status(5, 1, 4, 4);
        var r2 = Progress.sync(4, 1, DEADLINE, s1, s1, r.progressing(), r.available(), false, T0.plusSeconds(30));
        assertThat(r2.progressing()).isEqualTo(r.progressing());
        assertThat(r2.timedOut()).isFalse();

        // Exactly at the deadline it is not yet exceeded (Kubernetes compares with "before"), just after it is.
        assertThat(Progress.sync(4, 1, DEADLINE, s1, s1, r.progressing(), r.available(), false, T0.plusSeconds(60)).timedOut()).isFalse();
        var r3 = Progress.sync(4, 1, DEADLINE, s1, s1, r.progressing(), r.available(), false, T0.plusSeconds(61));
        assertThat(r3.timedOut()).isTrue();
        assertThat(r3.progressing()).extracting(Condition::status, Condition::reason).containsExactly("False", "ProgressDeadlineExceeded");
        assertThat(r3.progressing().lastTransition()).isEqualTo(T0.plusSeconds(61));
        var r4 = Progress.sync(4, 1, DEADLINE, s1, s1, r3.progressing(), r3.available(), false, T0.plusSeconds(90));
        assertThat(r4.timedOut()).as("reported once").isFalse();

        // Completion wins: every replica updated and available.
        var done = new Progress.Status(4, 4, 4, 4);
        var r5 = Progress.sync(4, 1, DEADLINE, s1, done, r.progressing(), r.available(), false, T0.plusSeconds(40));
        assertThat(r5.progressing()).extracting(Condition::status, Condition::reason).containsExactly("True", "NewReplicaSetAvailable");
        assertThat(r5.progressing().lastTransition()).as("still True: the transition time stays").isEqualTo(T0);
    }

    @Test
    void aCompletedRolloutNeverTimesOutEvenWhenOnlyAnOldRevisionIsActive() {
        // After a rollback the condition says NewReplicaSetAvailable while the counts show old replicas only
        // (the undone revision is current and has none): Kubernetes' DeploymentTimedOut is false for that reason.
        var done = Progress.sync(4, 1, DEADLINE, new Progress.Status(4, 4, 4, 4), new Progress.Status(4, 4, 4, 4), null, null, true, T0);
        assertThat(done.progressing().reason()).isEqualTo("NewReplicaSetAvailable");
        var oldOnly = new Progress.Status(4, 0, 4, 4);
        var hourLater = Progress.sync(4, 1, DEADLINE, oldOnly, oldOnly, done.progressing(), done.available(), false, T0.plusSeconds(3600));
        assertThat(hourLater.timedOut()).isFalse();
        assertThat(hourLater.progressing().reason()).isEqualTo("NewReplicaSetAvailable");
    }

    @Test
    void availableNeedsReplicasMinusMaxUnavailable() {
        var ok = Progress.sync(4, 1, DEADLINE, new Progress.Status(4, 0, 3, 3), new Progress.Status(4, 0, 3, 3), null, null, true, T0);
        assertThat(ok.available().reason()).isEqualTo("MinimumReplicasAvailable");
        var low = Progress.sync(4, 1, DEADLINE, new Progress.Status(4, 0, 2, 2), new Progress.Status(4, 0, 2, 2), null, ok.available(), true, T0.plusSeconds(5));
        assertThat(low.available()).extracting(Condition::status, Condition::reason, Condition::lastTransition)
                .containsExactly("False", "MinimumReplicasUnavailable", T0.plusSeconds(5));
    }

    /** As SetDeploymentCondition: the same status and reason update nothing, so an idle controller's status does not change. */
    @Test
    void anUnchangedAvailableConditionKeepsItsTimes() {
        var s = new Progress.Status(4, 4, 4, 4);
        var first = Progress.sync(4, 1, DEADLINE, s, s, null, null, true, T0);
        var later = Progress.sync(4, 1, DEADLINE, s, s, first.progressing(), first.available(), false, T0.plusSeconds(3600));
        assertThat(later.available()).isEqualTo(first.available());
        assertThat(later.progressing()).isEqualTo(first.progressing());
    }

    /** The moment the Progressing condition would time out: where a controller that sleeps between events must wake. */
    @Test
    void theProgressDeadlineIsAWakeUpOnlyWhileTheRolloutCanStillTimeOut() {
        var s0 = new Progress.Status(4, 0, 4, 4);
        var progressing = Progress.sync(4, 1, DEADLINE, s0, new Progress.Status(5, 1, 4, 4), null, null, true, T0).progressing();
        assertThat(Progress.deadline(progressing, DEADLINE)).isEqualTo(T0.plus(DEADLINE).plusMillis(1));
        var s1 = new Progress.Status(5, 1, 4, 4);
        var timedOut = Progress.sync(4, 1, DEADLINE, s1, s1, progressing, null, false, T0.plusSeconds(61)).progressing();
        assertThat(Progress.deadline(timedOut, DEADLINE)).as("timed out already").isNull();
        var done = new Progress.Status(4, 4, 4, 4);
        assertThat(Progress.deadline(Progress.sync(4, 1, DEADLINE, s1, done, progressing, null, false, T0.plusSeconds(5)).progressing(),
                DEADLINE)).as("complete").isNull();
        var paused = Progress.sync(4, 1, DEADLINE, s1, s1, progressing, null, false, true, T0.plusSeconds(5)).progressing();
        assertThat(Progress.deadline(paused, DEADLINE)).as("paused").isNull();
        assertThat(Progress.deadline(null, DEADLINE)).isNull();
    }
}
