package dev.rollgate.local.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rollgate.controller.Verb;
import dev.rollgate.local.ApiException;
import dev.rollgate.local.process.ProcessGroup;
import dev.rollgate.view.EventRow;
import dev.rollgate.view.HistoryEntry;
import dev.rollgate.view.ServiceView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon in this JVM, with real replica processes: rollouts, their invariants, and every rollout verb. */
class DaemonTest {

    @TempDir
    Path dir;

    private Daemon daemon;
    private final List<Long> pids = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) daemon.shutdown().get();
        for (long pid : pids) assertThat(ProcessGroup.members(pid)).as("process group " + pid + " left behind").isEmpty();
    }

    /** Issue 30: an idle service costs its probes, nothing more: passes with nothing to change write nothing to the store. */
    @Test
    void passesOfAnIdleServiceWriteNothing() throws Exception {
        daemon = Daemon.open(dir.resolve("state"), 0);
        daemon.apply(Specs.rollout("idle", 2, 0, "v1", ""), dir.toString(), "idle.yaml");
        DaemonAwait.phase(daemon, "idle", "Complete", pids);
        ServiceController c = daemon.service("idle");
        long settled = c.passes();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            c.wake();
            return c.passes() >= settled + 3; // what completion left to say (the last events) is said
        });
        long writes = daemon.store().writes(), passes = c.passes();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            c.wake();
            return c.passes() >= passes + 10;
        });
        assertThat(daemon.store().writes()).as("store writes over 10 idle passes").isEqualTo(writes);
        assertThat(daemon.metrics()).contains("rollgate_store_writes_total " + writes)
                .containsPattern("rollgate_controller_passes_total\\{service=\"idle\"} [1-9]");
    }

    @Test
    void rollingUpdateKeepsSurgeAndAvailabilityThenUndoPauseResumeAndRestartWork() throws Exception {
        daemon = Daemon.open(dir.resolve("state"), 0);
        // maxConcurrentStarts 1: the two replicas of revision 1 start one after the other (the platform's slow start).
        String strategy = "  maxConcurrentStarts: 1\n  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}\n";
        daemon.apply(Specs.rollout("web", 2, 0, "v1", strategy), dir.toString(), "web.yaml");
        AtomicInteger maxStarting = new AtomicInteger();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20)).until(() -> {
            ServiceView v = daemon.describe("web");
            maxStarting.accumulateAndGet((int) v.replicas().stream().filter(r -> !r.ready() && !r.stopping()).count(), Math::max);
            return v.phase().equals("Complete");
        });
        assertThat(maxStarting.get()).isEqualTo(1);
        ServiceView v1 = DaemonAwait.phase(daemon, "web", "Complete", pids);
        assertThat(v1.status().revision()).isEqualTo(1);
        assertThat(v1.replicas()).hasSize(2).allMatch(ServiceView.ReplicaView::ready);

        // Sample while v2 rolls out: never more than replicas + maxSurge active, never fewer than replicas - maxUnavailable available.
        AtomicInteger maxActive = new AtomicInteger();
        AtomicInteger minAvailable = new AtomicInteger(Integer.MAX_VALUE);
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = Thread.ofVirtual().start(() -> {
            while (sampling.get()) {
                try {
                    ServiceView v = daemon.describe("web");
                    maxActive.accumulateAndGet((int) v.replicas().stream().filter(r -> !r.stopping()).count(), Math::max);
                    minAvailable.accumulateAndGet(v.status().available(), Math::min);
                    Thread.sleep(20);
                } catch (Exception e) {
                    return;
                }
            }
        });
        assertThat(daemon.apply(Specs.rollout("web", 2, 0, "v2", strategy), dir.toString(), "web.yaml"))
                .extracting(Applier.Applied::result).containsExactly("configured");
        ServiceView v2 = DaemonAwait.phase(daemon, "web", "Complete", pids);
        sampling.set(false);
        sampler.join();
        assertThat(v2.status().revision()).isEqualTo(2);
        assertThat(v2.status().version()).isEqualTo("v2");
        assertThat(maxActive.get()).isLessThanOrEqualTo(3);
        assertThat(minAvailable.get()).isGreaterThanOrEqualTo(2);
        assertThat(reasons("web")).contains("RolloutStarted", "ScalingReplicaSet", "RolloutCompleted");

        // Same file again: nothing changes.
        assertThat(daemon.apply(Specs.rollout("web", 2, 0, "v2", strategy), dir.toString(), "web.yaml"))
                .extracting(Applier.Applied::result).containsExactly("unchanged");

        // undo: v1's template comes back as revision 3 (re-adopted group, bumped number).
        assertThat(daemon.service("web").act(new Verb.Undo(0))).isEqualTo("rolled back to revision 1");
        ServiceView undone = DaemonAwait.phase(daemon, "web", "Complete", pids);
        assertThat(undone.status().revision()).isEqualTo(3);
        assertThat(undone.status().version()).isEqualTo("v1");
        assertThat(daemon.history("web")).extracting(HistoryEntry::revision).containsExactly(2, 3);
        assertThatThrownBy(() -> daemon.service("web").act(new Verb.Undo(7))).isInstanceOf(ApiException.class).hasMessageContaining("revision 7 of web not found");

        // pause: a new template makes a revision but no replica of it; resume finishes the rollout.
        daemon.service("web").act(new Verb.Pause());
        daemon.apply(Specs.rollout("web", 2, 0, "v3", strategy), dir.toString(), "web.yaml");
        ServiceView paused = DaemonAwait.phase(daemon, "web", "Paused", pids);
        assertThat(paused.replicas().stream().filter(r -> !r.stopping())).hasSize(2).allMatch(r -> r.revision() == 3);
        daemon.service("web").act(new Verb.Resume());
        ServiceView resumed = DaemonAwait.phase(daemon, "web", "Complete", pids);
        assertThat(resumed.status().version()).isEqualTo("v3");

        // restart: same template, every replica replaced.
        Set<Long> before = resumed.replicas().stream().map(ServiceView.ReplicaView::pid).collect(Collectors.toSet());
        daemon.service("web").act(new Verb.Restart());
        ServiceView restarted = DaemonAwait.phase(daemon, "web", "Complete", pids);
        assertThat(restarted.status().version()).isEqualTo("v3");
        assertThat(restarted.replicas().stream().filter(r -> !r.stopping())).hasSize(2).noneMatch(r -> before.contains(r.pid()));
        assertThat(daemon.history("web").getLast().changeCause()).startsWith("restarted at ");

        // replicas 2 -> 3 on the same template: the current group grows, no new revision.
        daemon.apply(Specs.rollout("web", 3, 0, "v3", strategy), dir.toString(), "web.yaml");
        ServiceView scaled = DaemonAwait.phase(daemon, "web", "Complete", pids);
        assertThat(scaled.status().revision()).isEqualTo(restarted.status().revision());
        assertThat(scaled.replicas().stream().filter(r -> !r.stopping())).hasSize(3).allMatch(ServiceView.ReplicaView::ready);
    }

    @Test
    void recreateStopsEveryOldReplicaBeforeTheFirstNewOneStarts() throws Exception {
        daemon = Daemon.open(dir.resolve("state"), 0);
        String strategy = "  strategy: {recreate: {}}\n";
        daemon.apply(Specs.rollout("batch", 2, 0, "v1", strategy), dir.toString(), "batch.yaml");
        DaemonAwait.phase(daemon, "batch", "Complete", pids);
        AtomicBoolean overlap = new AtomicBoolean();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = Thread.ofVirtual().start(() -> {
            while (sampling.get()) {
                try {
                    Set<Integer> revisions = daemon.describe("batch").replicas().stream().map(ServiceView.ReplicaView::revision)
                            .collect(Collectors.toSet());
                    if (revisions.size() > 1) overlap.set(true);
                    Thread.sleep(10);
                } catch (Exception e) {
                    return;
                }
            }
        });
        daemon.apply(Specs.rollout("batch", 2, 0, "v2", strategy), dir.toString(), "batch.yaml");
        ServiceView v2 = DaemonAwait.phase(daemon, "batch", "Complete", pids);
        sampling.set(false);
        sampler.join();
        assertThat(v2.status().version()).isEqualTo("v2");
        assertThat(overlap).as("a v1 replica still existed when a v2 one was there").isFalse();
    }

    @Test
    void badSpecsAndUnknownServicesAreRefusedWithWordsAndChangeNothing() throws Exception {
        daemon = Daemon.open(dir.resolve("state"), 0);
        assertThatThrownBy(() -> daemon.apply("apiVersion: rollgate.dev/v1alpha1\nkind: Rollout\nmetadata: {name: x}\nspec: {replicas: -1}\n",
                dir.toString(), "x.yaml"))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).details()).anyMatch(d -> d.contains("spec.replicas")));
        assertThat(daemon.list()).isEmpty();
        assertThatThrownBy(() -> daemon.apply("apiVersion: rollgate.dev/v1alpha1\nkind: Rollout\nmetadata: {name: x}\n"
                + "spec: {template: {image: registry.example/x:v1}}\n", dir.toString(), "x.yaml"))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).details())
                        .as("an image no registry answers for is refused at apply (or the host's missing podman is named)")
                        .anyMatch(d -> d.contains("x: spec.template.image: ")));
        assertThatThrownBy(() -> daemon.apply("apiVersion: rollgate.dev/v1alpha1\nkind: Rollout\nmetadata: {name: x}\n"
                + "spec: {template: {image: registry.example/x:v1, resources: {limits: {memory: lots}}}}\n", dir.toString(), "x.yaml"))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).details()).anyMatch(d -> d.contains("x: spec.template.resources.limits.memory: \"lots\"")));
        assertThat(daemon.list()).isEmpty();
        assertThatThrownBy(() -> daemon.describe("nope")).hasMessageContaining("service nope not found");
        assertThatThrownBy(() -> Daemon.open(dir.resolve("state"), 0)).hasMessageContaining("another Rollgate daemon is running");
        try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> Daemon.open(dir.resolve("other"), taken.getLocalPort()))
                    .hasMessageContaining("the admin API cannot listen on 127.0.0.1:" + taken.getLocalPort() + " (--admin-port)");
        }
    }

    private List<String> reasons(String service) throws Exception {
        return daemon.events(service, 0, 1000).stream().filter(e -> e.object().equals(service)).map(EventRow::reason).toList();
    }
}
