package dev.rollgate.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rollgate.health.HealthReport.CheckView;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthTest {

    final Health health = new Health();

    @AfterEach
    void close() {
        health.close();
    }

    static CheckView check(HealthReport r, String name) {
        return r.checks().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void readinessAndStartupWaitForMarkStartedWhileLivenessIsUp() {
        health.start();
        assertThat(health.report(HealthGroup.STARTUP).status()).isEqualTo(Status.DOWN);
        assertThat(health.report(HealthGroup.READINESS).status()).isEqualTo(Status.DOWN);
        assertThat(health.report(HealthGroup.LIVENESS).status()).isEqualTo(Status.UP);
        health.markStarted();
        assertThat(health.report(HealthGroup.STARTUP).status()).isEqualTo(Status.UP);
        assertThat(health.report(HealthGroup.READINESS).status()).isEqualTo(Status.UP);
    }

    @Test
    void manualReadinessAndShutdownLeaveLivenessAlone() {
        health.markStarted();
        health.markNotReady();
        assertThat(health.report(HealthGroup.READINESS).status()).isEqualTo(Status.DOWN);
        assertThat(check(health.report(HealthGroup.READINESS), "ready").data()).containsEntry("reason", "marked not ready");
        health.markReady();
        assertThat(health.report(HealthGroup.READINESS).status()).isEqualTo(Status.UP);
        health.beginShutdown();
        assertThat(health.report(HealthGroup.READINESS).status()).isEqualTo(Status.DOWN);
        assertThat(health.report(HealthGroup.LIVENESS).status()).isEqualTo(Status.UP);
        health.markReady(); // a shutdown is not undone by markReady
        assertThat(health.report(HealthGroup.READINESS).status()).isEqualTo(Status.DOWN);
    }

    @Test
    void aCheckNotRunYetHoldsReadinessDownButNotLiveness() {
        CountDownLatch never = new CountDownLatch(1);
        health.register("db", () -> {
            never.await();
            return CheckResult.up();
        }, CheckOptions.readiness().forKinds(HealthGroup.READINESS, HealthGroup.LIVENESS).timeout(Duration.ofSeconds(30)));
        health.markStarted();
        assertThat(health.report(HealthGroup.READINESS).status()).isEqualTo(Status.DOWN);
        assertThat(check(health.report(HealthGroup.READINESS), "db").data()).containsEntry("error", "not run yet");
        assertThat(health.report(HealthGroup.LIVENESS).status()).isEqualTo(Status.UP);
        never.countDown();
    }

    @Test
    void aHungCheckIsDownAfterItsTimeoutAndNeverPilesUpThreads() {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        health.register("stuck", () -> {
            runs.incrementAndGet();
            while (true) {
                try {
                    release.await(); // ignores interrupts, as a badly written driver call would
                    return CheckResult.up();
                } catch (InterruptedException ignored) {
                    // keep hanging
                }
            }
        }, CheckOptions.readiness().every(Duration.ofMillis(50)).timeout(Duration.ofMillis(200)));
        health.markStarted();
        health.start();
        // The first run's "timed out after 200 ms" is soon followed by "previous run still running (timed out after 200 ms)";
        // both name the timeout, so wait for either rather than for a message that may last only one interval.
        await().atMost(Duration.ofSeconds(5)).until(() -> String.valueOf(check(health.report(HealthGroup.READINESS), "stuck").data().get("error"))
                .contains("timed out after 200 ms"));
        assertThat(health.report(HealthGroup.READINESS).status()).isEqualTo(Status.DOWN);
        await().atMost(Duration.ofSeconds(5)).until(() -> String.valueOf(check(health.report(HealthGroup.READINESS), "stuck").data().get("error"))
                .startsWith("previous run still running"));
        assertThat(runs.get()).isEqualTo(1);
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> health.report(HealthGroup.READINESS).status() == Status.UP);
        assertThat(runs.get()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void anExceptionIsDownNamedAfterIt() {
        health.register("boom", () -> {
            throw new IllegalStateException("pool closed");
        }, CheckOptions.readiness());
        health.markStarted();
        health.refresh();
        CheckView v = check(health.report(HealthGroup.READINESS), "boom");
        assertThat(v.status()).isEqualTo(Status.DOWN);
        assertThat(v.data()).containsEntry("error", "java.lang.IllegalStateException: pool closed");
    }

    @Test
    void nonCriticalChecksAreReportedButDoNotFailTheProbe() {
        health.register("cache", () -> CheckResult.down("cold"), CheckOptions.readiness().critical(false));
        health.register("db", CheckResult::up, CheckOptions.readiness());
        health.markStarted();
        health.refresh();
        HealthReport r = health.report(HealthGroup.READINESS);
        assertThat(r.status()).isEqualTo(Status.UP);
        assertThat(check(r, "cache").status()).isEqualTo(Status.DOWN);
    }

    @Test
    void theOverallStatusIsTheAndOfCriticalChecksOfEachProbe() {
        AtomicBoolean db = new AtomicBoolean(true);
        health.register("db", () -> CheckResult.of(db.get()), CheckOptions.readiness());
        health.register("disk", CheckResult::up, CheckOptions.liveness());
        health.markStarted();
        health.refresh();
        assertThat(health.overall().status()).isEqualTo(Status.UP);
        db.set(false);
        health.refresh();
        assertThat(health.report(HealthGroup.READINESS).status()).isEqualTo(Status.DOWN);
        assertThat(health.report(HealthGroup.LIVENESS).status()).as("a dependency never fails liveness").isEqualTo(Status.UP);
        assertThat(health.overall().status()).isEqualTo(Status.DOWN);
        assertThat(health.overall().checks()).extracting(CheckView::name).containsExactly("started", "ready", "shutdown", "db", "disk");
    }

    @Test
    void listenersHearEveryProbeAndCheckChange() {
        List<String> heard = new CopyOnWriteArrayList<>();
        AtomicBoolean db = new AtomicBoolean(true);
        health.addListener(new HealthListener() {
            @Override
            public void onProbeChange(HealthGroup kind, Status from, Status to) {
                heard.add(kind + " " + from + "->" + to);
            }

            @Override
            public void onCheckChange(String check, Status from, Status to, CheckResult last) {
                heard.add(check + " " + from + "->" + to);
            }
        });
        health.register("db", () -> CheckResult.of(db.get()), CheckOptions.readiness());
        health.refresh();
        health.markStarted();
        db.set(false);
        health.refresh();
        assertThat(heard).containsExactly("db null->UP", "STARTUP DOWN->UP", "READINESS DOWN->UP", "db UP->DOWN", "READINESS UP->DOWN");
    }

    @Test
    void namesAreUniqueAndBuiltInNamesAreTaken() {
        health.register("db", CheckResult::up, CheckOptions.readiness());
        assertThatThrownBy(() -> health.register("db", CheckResult::up, CheckOptions.readiness()))
                .hasMessage("a check named \"db\" is already registered");
        assertThatThrownBy(() -> health.register("ready", CheckResult::up, CheckOptions.readiness()))
                .hasMessage("\"ready\" is a built-in check name; choose another");
    }
}
