package dev.rollgate.local.replica;

import dev.rollgate.local.probe.ProbeResult;
import dev.rollgate.local.process.ReplicaProcess;
import dev.rollgate.local.replica.ReplicaEvent.Type;
import dev.rollgate.spec.Handler;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The kubelet's termination of a replica out of Ready: its requests in flight drained, its preStop
 * hook, SIGTERM, then SIGKILL at the end of the grace period ({@link GracePeriod} gives the hook
 * its extension), each step said as an event.
 */
final class Termination {

    private Termination() {}

    /** Runs the sequence on {@code p}; returns how many leftover processes of its group were killed after it exited. */
    static int run(ReplicaProcess p, String id, Handler preStop, Drain drain, Duration grace, Said events) throws InterruptedException {
        Instant begin = Instant.now();
        if (drain != Drain.NONE) {
            // Out of the routing table already (not ready); let the requests in flight finish before anything
            // tells the process to stop. The drain counts against the grace period, like preStop.
            try {
                int cut = drain.drain(id, grace).get(grace.toMillis() + 1000, TimeUnit.MILLISECONDS);
                String took = seconds(Duration.between(begin, Instant.now()));
                if (cut == 0) events.event(Type.Normal, "Drained", "no request in flight after " + took);
                else events.event(Type.Warning, "Drained", "drain timed out after " + took + "; " + cut + " request(s) cut");
            } catch (TimeoutException | ExecutionException e) {
                events.event(Type.Warning, "Drained", "drain did not finish: " + e);
            }
        }
        Duration preStopElapsed = Duration.between(begin, Instant.now());
        CompletableFuture<ProbeResult> hook = null;
        if (preStop != null && !grace.isZero() && p.isAlive()) {
            events.event(Type.Normal, "PreStop", "running preStop hook: " + preStop.describe());
            Duration hookLimit = grace.plus(GracePeriod.MINIMUM_AFTER_PRE_STOP);
            hook = CompletableFuture.supplyAsync(() -> Handlers.run(preStop, p.target(), hookLimit),
                    r -> Thread.ofVirtual().name(id + "-preStop").start(r));
            try {
                ProbeResult r = hook.get(Math.max(0, grace.minus(preStopElapsed).toMillis()), TimeUnit.MILLISECONDS);
                if (!r.isSuccess()) events.event(Type.Warning, "FailedPreStopHook", r.detail());
            } catch (TimeoutException e) {
                events.event(Type.Warning, "FailedPreStopHook", "preStop hook (" + preStop.describe() + ") still running after the grace period; "
                        + seconds(GracePeriod.MINIMUM_AFTER_PRE_STOP) + " extension");
            } catch (ExecutionException e) {
                events.event(Type.Warning, "FailedPreStopHook", String.valueOf(e.getCause()));
            }
        }
        preStopElapsed = Duration.between(begin, Instant.now());
        Duration untilKill = GracePeriod.afterPreStop(grace, preStopElapsed);
        if (p.isAlive() && !untilKill.isZero()) {
            p.sendTerm();
            try {
                p.onExit().get(untilKill.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException notYet) {
                // falls through to SIGKILL
            }
        }
        if (p.isAlive()) {
            int n = p.killGroup();
            events.event(Type.Warning, "Killed", "did not exit " + seconds(Duration.between(begin, Instant.now()))
                    + " after termination began; sent SIGKILL to " + n + " process(es)");
        }
        try {
            p.onExit().get(5, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            events.event(Type.Warning, "Killed", "pid " + p.pid() + " still there 5s after SIGKILL");
        }
        int leftovers = p.killGroup(); // the container's other processes go with its main one
        if (hook != null) hook.cancel(true);
        return leftovers;
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : String.format("%.1fs", d.toMillis() / 1000.0);
    }
}
