package dev.rollgate.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Stops the application without dropping a request, inside a total budget set below the
 * platform's grace period: readiness DOWN at once (liveness stays UP), keep serving for the
 * propagation delay so load balancers stop routing here, stop accepting, wait for in-flight
 * requests up to the drain timeout, then run close hooks in reverse order of registration.
 * Every phase is logged with the counts that matter.
 */
public final class GracefulShutdown {

    /** How a shutdown went: requests still in flight when the drain ended, and the time it took. */
    public record Outcome(int requestsCut, Duration took, boolean withinBudget) {}

    private final Health health;
    private final InFlight inFlight;
    private final Duration propagationDelay;
    private final Duration drainTimeout;
    private final Duration budget;
    private final Runnable stopAccepting;
    private final IntSupplier connections;
    private final Consumer<String> log;
    private final List<NamedHook> closeHooks = new ArrayList<>();
    private final AtomicBoolean begun = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile Outcome outcome;

    private record NamedHook(String name, AutoCloseable hook) {}

    private GracefulShutdown(Builder b) {
        this.health = b.health;
        this.inFlight = b.inFlight;
        this.propagationDelay = b.propagationDelay;
        this.drainTimeout = b.drainTimeout;
        this.budget = b.budget;
        this.stopAccepting = b.stopAccepting;
        this.connections = b.connections;
        this.log = b.log;
    }

    public static Builder builder(Health health, InFlight inFlight) {
        return new Builder(health, inFlight);
    }

    /** Registers something to close after the drain; hooks run in reverse order of registration. */
    public synchronized GracefulShutdown onClose(String name, AutoCloseable hook) {
        closeHooks.add(new NamedHook(name, hook));
        return this;
    }

    /**
     * Runs the shutdown on SIGTERM or Ctrl-C, then exits 0. Uses the JDK's signal API so the exit
     * status says "stopped cleanly" (a JVM that dies of SIGTERM exits 143); falls back to a
     * shutdown hook where signals cannot be handled (-Xrs).
     */
    public GracefulShutdown installSignalHandlers() {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                // Not a daemon (the signal thread is one, and its children inherit that): the JVM must not
                // exit under the shutdown when the server's last thread ends.
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> Thread.ofPlatform().daemon(false).name("graceful-shutdown").start(() -> {
                    log.accept("shutdown: SIG" + name + " received");
                    run();
                    System.exit(0);
                }));
            } catch (IllegalArgumentException unavailable) {
                // handled by the hook below
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::run, "graceful-shutdown-hook"));
        return this;
    }

    /** Runs the shutdown once; a call while it runs waits for it, and every call returns the same outcome. */
    public Outcome run() {
        if (!begun.compareAndSet(false, true)) {
            try {
                finished.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return outcome;
        }
        try {
            return runOnce();
        } finally {
            finished.countDown();
        }
    }

    private Outcome runOnce() {
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        try {
            health.beginShutdown();
            int open = connections.getAsInt();
            log.accept("shutdown: readiness DOWN, liveness UP; serving " + inFlight.active() + " in-flight request(s)"
                    + (open >= 0 ? " on " + open + " connection(s)" : "") + " for the " + millis(propagationDelay) + " propagation delay");
            sleep(min(propagationDelay, left(deadline)));
            stopAccepting.run();
            int active = inFlight.active();
            int stillOpen = connections.getAsInt();
            log.accept("shutdown: stopped accepting; waiting up to " + millis(min(drainTimeout, left(deadline)))
                    + " for " + active + " in-flight request(s)" + (stillOpen >= 0 ? " on " + stillOpen + " connection(s)" : ""));
            int cut = inFlight.awaitIdle(min(drainTimeout, left(deadline)));
            if (cut == 0) log.accept("shutdown: drained, no request in flight");
            else log.accept("shutdown: drain timeout; " + cut + " request(s) still in flight will be cut");
            List<NamedHook> hooks;
            synchronized (this) {
                hooks = new ArrayList<>(closeHooks);
            }
            for (int i = hooks.size() - 1; i >= 0; i--) close(hooks.get(i), deadline);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            boolean within = System.nanoTime() <= deadline;
            log.accept("shutdown: complete in " + millis(took) + " (budget " + millis(budget) + (within ? ")" : ", EXCEEDED)"));
            outcome = new Outcome(cut, took, within);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = new Outcome(inFlight.active(), Duration.ofNanos(System.nanoTime() - start), false);
        }
        return outcome;
    }

    private void close(NamedHook h, long deadline) throws InterruptedException {
        long begin = System.nanoTime();
        Thread t = Thread.ofVirtual().name("close-" + h.name()).start(() -> {
            try {
                h.hook().close();
            } catch (Exception e) {
                log.accept("shutdown: closing " + h.name() + " failed: " + e);
            }
        });
        if (t.join(left(deadline))) {
            log.accept("shutdown: closed " + h.name() + " in " + millis(Duration.ofNanos(System.nanoTime() - begin)));
        } else {
            log.accept("shutdown: closing " + h.name() + " did not finish within the budget; moving on");
            t.interrupt();
        }
    }

    private static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleep(Duration d) throws InterruptedException {
        if (!d.isZero()) Thread.sleep(d);
    }

    private static String millis(Duration d) {
        return d.toMillis() + " ms";
    }

    /** Options of a {@link GracefulShutdown}; defaults fit Kubernetes' 30 s grace period. */
    public static final class Builder {
        private final Health health;
        private final InFlight inFlight;
        private Duration propagationDelay = Duration.ofSeconds(5);
        private Duration drainTimeout = Duration.ofSeconds(20);
        private Duration budget = Duration.ofSeconds(28);
        private Runnable stopAccepting = () -> {};
        private IntSupplier connections = () -> -1;
        private Consumer<String> log = message -> System.out.println(Instant.now() + " " + message);

        private Builder(Health health, InFlight inFlight) {
            this.health = health;
            this.inFlight = inFlight;
        }

        /** How long to keep serving, not ready, before closing the listener (what a preStop sleep does). */
        public Builder propagationDelay(Duration d) {
            this.propagationDelay = d;
            return this;
        }

        public Builder drainTimeout(Duration d) {
            this.drainTimeout = d;
            return this;
        }

        /** The whole shutdown's limit; set it below terminationGracePeriodSeconds minus any preStop. */
        public Builder budget(Duration d) {
            this.budget = d;
            return this;
        }

        /** Closes the listening socket; must return promptly. */
        public Builder stopAccepting(Runnable r) {
            this.stopAccepting = r;
            return this;
        }

        /** Open connections, for the log lines (optional; a negative value means unknown and is left out). */
        public Builder connections(IntSupplier s) {
            this.connections = s;
            return this;
        }

        public Builder log(Consumer<String> l) {
            this.log = l;
            return this;
        }

        public GracefulShutdown build() {
            if (propagationDelay.plus(drainTimeout).compareTo(budget) > 0) {
                throw new IllegalArgumentException("propagationDelay (" + propagationDelay.toMillis() + " ms) + drainTimeout ("
                        + drainTimeout.toMillis() + " ms) exceed the budget (" + budget.toMillis() + " ms)");
            }
            return new GracefulShutdown(this);
        }
    }
}
