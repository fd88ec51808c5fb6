package dev.rollgate.local.probe;

import dev.rollgate.local.process.ReplicaProcess;
import dev.rollgate.local.replica.Handlers;
import dev.rollgate.local.probe.ProbeResult.Outcome;
import dev.rollgate.spec.Probe;
import dev.rollgate.spec.ProbeKind;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs one probe of one replica instance, as the kubelet's probe worker: a probe every
 * {@code periodSeconds}, none before {@code initialDelaySeconds}, readiness and liveness held
 * until startup succeeds, and a verdict only after a threshold of identical results in a row.
 */
public final class ProbeWorker implements Runnable {

    /** What the worker reports to; the replica checks that the instance is still its current one. */
    public interface Verdicts {
        boolean started(ReplicaProcess instance);

        boolean terminating(ReplicaProcess instance);

        void onVerdict(ReplicaProcess instance, ProbeKind kind, ProbeResult result, ProbeCounter counter);

        void onAttempt(ReplicaProcess instance, ProbeKind kind, ProbeResult result, ProbeCounter counter);
    }

    private final ProbeKind kind;
    private final Probe probe;
    private final ReplicaProcess instance;
    private final Verdicts verdicts;
    private final Semaphore trigger = new Semaphore(0);
    private volatile boolean stopped;
    private volatile Thread thread;
    private ProbeCounter counter;

    public ProbeWorker(ProbeKind kind, Probe probe, ReplicaProcess instance, Verdicts verdicts) {
        this.kind = kind;
        this.probe = probe;
        this.instance = instance;
        this.verdicts = verdicts;
        this.counter = ProbeCounter.initial(kind);
    }

    public ProbeWorker start(String replicaId) {
        thread = Thread.ofVirtual().name(replicaId + "-" + kind + "-probe").start(this);
        return this;
    }

    /** Probe now instead of at the next tick (the kubelet's manualTriggerCh, used for readiness after startup). */
    public void triggerNow() {
        trigger.release();
    }

    public void stop() {
        stopped = true;
        Thread t = thread;
        if (t != null) t.interrupt();
    }

    @Override
    public void run() {
        try {
            while (!stopped && doProbe()) {
                if (trigger.tryAcquire(probe.periodSeconds(), TimeUnit.SECONDS)) trigger.drainPermits();
            }
        } catch (InterruptedException e) {
            // stopped
        }
    }

    /** One pass of the kubelet's doProbe; false ends the worker. */
    private boolean doProbe() {
        if (!instance.isAlive()) return false;
        if (verdicts.terminating(instance) && kind != ProbeKind.READINESS) return false;
        if (Duration.between(instance.startTime(), Instant.now()).compareTo(probe.initialDelay()) < 0) return true;
        boolean started = verdicts.started(instance);
        if (kind == ProbeKind.STARTUP && started) return false;
        if (kind != ProbeKind.STARTUP && !started) return true;
        ProbeResult result = Handlers.run(probe.handler(), instance.target(), probe.timeout());
        if (stopped || result.outcome() == Outcome.UNKNOWN) return !stopped;
        counter = counter.observe(result.outcome(), probe);
        verdicts.onAttempt(instance, kind, result, counter);
        if (!counter.set()) return true;
        verdicts.onVerdict(instance, kind, result, counter);
        // After a liveness failure or any startup verdict the kubelet holds the worker until a new container.
        return !(kind == ProbeKind.STARTUP || (kind == ProbeKind.LIVENESS && counter.cached() == Outcome.FAILURE));
    }
}
