package dev.rollgate.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class GracefulShutdownTest {

    final Health health = new Health();
    final InFlight inFlight = new InFlight();
    final List<String> steps = new CopyOnWriteArrayList<>();
    /** Open once the shutdown waits for in-flight requests: the test's request ends then, not after a guessed sleep. */
    final CountDownLatch draining = new CountDownLatch(1);

    GracefulShutdown.Builder builder() {
        return GracefulShutdown.builder(health, inFlight)
                .propagationDelay(Duration.ofMillis(200))
                .drainTimeout(Duration.ofSeconds(2))
                .budget(Duration.ofSeconds(3))
                .stopAccepting(() -> steps.add("stop accepting (ready=" + health.report(HealthGroup.READINESS).status()
                        + ", live=" + health.report(HealthGroup.LIVENESS).status() + ")"))
                .log(line -> {
                    steps.add("log: " + line);
                    if (line.startsWith("shutdown: stopped accepting")) draining.countDown();
                });
    }

    @Test
    void phasesRunInOrderAndWaitForInFlightRequests() {
        health.markStarted();
        inFlight.begin();
        Thread.ofVirtual().start(() -> {
            try {
                draining.await();
            } catch (InterruptedException ignored) {
                // ends the request early
            }
            steps.add("request finished");
            inFlight.end();
        });
        GracefulShutdown shutdown = builder().build()
                .onClose("first registered", () -> steps.add("closed first registered"))
                .onClose("second registered", () -> steps.add("closed second registered"));

        GracefulShutdown.Outcome outcome = shutdown.run();

        assertThat(outcome.requestsCut()).isZero();
        assertThat(outcome.withinBudget()).isTrue();
        assertThat(steps).filteredOn(s -> !s.startsWith("log: shutdown: complete")).containsExactly(
                "log: shutdown: readiness DOWN, liveness UP; serving 1 in-flight request(s) for the 200 ms propagation delay",
                "stop accepting (ready=DOWN, live=UP)",
                "log: shutdown: stopped accepting; waiting up to 2000 ms for 1 in-flight request(s)",
                "request finished",
                "log: shutdown: drained, no request in flight",
                "closed second registered",
                "log: shutdown: closed second registered in " + timeOf(steps, "second registered"),
                "closed first registered",
                "log: shutdown: closed first registered in " + timeOf(steps, "first registered"));
        assertThat(shutdown.run()).as("a second call returns the first outcome").isSameAs(outcome);
    }

    @Test
    void aRequestThatOutlastsTheDrainTimeoutIsCountedAsCut() {
        inFlight.begin();
        GracefulShutdown.Outcome outcome = builder().drainTimeout(Duration.ofMillis(300)).build().run();
        assertThat(outcome.requestsCut()).isEqualTo(1);
        assertThat(steps).contains("log: shutdown: drain timeout; 1 request(s) still in flight will be cut");
    }

    @Test
    void aHangingCloseHookCannotBreakTheBudget() {
        GracefulShutdown.Outcome outcome = builder().budget(Duration.ofMillis(2500)).drainTimeout(Duration.ofMillis(100)).build()
                .onClose("stuck pool", () -> Thread.sleep(60_000))
                .run();
        assertThat(outcome.took()).isLessThan(Duration.ofSeconds(4));
        assertThat(steps).contains("log: shutdown: closing stuck pool did not finish within the budget; moving on");
    }

    @Test
    void aBudgetSmallerThanItsPartsIsRejected() {
        assertThatThrownBy(() -> builder().propagationDelay(Duration.ofSeconds(5)).drainTimeout(Duration.ofSeconds(30))
                .budget(Duration.ofSeconds(28)).build())
                .hasMessage("propagationDelay (5000 ms) + drainTimeout (30000 ms) exceed the budget (28000 ms)");
    }

    private static String timeOf(List<String> steps, String hook) {
        return steps.stream().filter(s -> s.startsWith("log: shutdown: closed " + hook + " in "))
                .map(s -> s.substring(("log: shutdown: closed " + hook + " in ").length())).findFirst().orElse("?");
    }
}
