package dev.rollgate.local.replica;

import dev.rollgate.local.container.Images;
import dev.rollgate.local.probe.ProbeCounter;
import dev.rollgate.local.probe.ProbeResult.Outcome;
import dev.rollgate.local.probe.ProbeResult;
import dev.rollgate.local.probe.ProbeWorker;
import dev.rollgate.local.process.Ports;
import dev.rollgate.local.process.ProcessLauncher;
import dev.rollgate.local.process.ReplicaProcess;
import dev.rollgate.local.replica.ReplicaEvent.Type;
import dev.rollgate.spec.ProbeKind;
import dev.rollgate.spec.Template;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One replica slot: starts its process, probes it with kubelet semantics, restarts it with the
 * crash-loop back-off, and stops it in the kubelet's order (not ready, preStop, SIGTERM, SIGKILL).
 */
public final class Replica implements ProbeWorker.Verdicts {

    private final String id;
    private final Template template;
    private final ReplicaConfig config;
    private final ReplicaLog log;
    private final CompletableFuture<Void> stopRequested = new CompletableFuture<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    private final Object lock = new Object();
    private ReplicaState state = ReplicaState.PENDING;
    private String reason = "Created";
    private Instant since = Instant.now();
    private boolean ready;
    private boolean started;
    private boolean terminating;
    private int restarts;
    private ReplicaProcess current;
    private CompletableFuture<String> killRequest = new CompletableFuture<>();
    private final Map<ProbeKind, ProbeWorker> workers = new EnumMap<>(ProbeKind.class);
    private ReplicaProcess adopted;

    public Replica(String id, Template template, ReplicaConfig config) {
        this.id = id;
        this.template = template;
        this.config = config;
        this.log = new ReplicaLog(config.logDir().resolve(id + ".log"), config.logMaxBytes(), ReplicaLog.DEFAULT_BACKUPS);
    }

    /**
     * A replica whose process an earlier Rollgate started and that is still running: its first
     * instance is that process (already started, so the startup probe is not run again; readiness
     * is probed at once); if it exits, the replica restarts it as usual. {@code ready}: it was
     * Ready (routed to) when the earlier daemon stopped, so it stays Ready until its readiness
     * probe fails {@code failureThreshold} times, and traffic never waits for the new daemon's first probe.
     */
    public static Replica adopting(String id, Template template, ReplicaConfig config, ReplicaProcess running, boolean ready) {
        Replica r = new Replica(id, template, config);
        r.adopted = running;
        r.current = running;
        r.started = true;
        r.ready = ready;
        r.state = ReplicaState.RUNNING;
        r.reason = "Adopted";
        return r;
    }

    /** A running process whose stop had begun under an earlier daemon: adopted only to finish its termination. */
    public static Replica adoptingToStop(String id, Template template, ReplicaConfig config, ReplicaProcess running) {
        Replica r = adopting(id, template, config, running, false);
        r.stopRequested.complete(null);
        return r;
    }

    public String id() {
        return id;
    }

    public ReplicaLog log() {
        return log;
    }

    public Replica start() {
        Thread.ofVirtual().name("replica-" + id).start(this::lifecycle);
        return this;
    }

    public ReplicaStatus status() {
        synchronized (lock) {
            ReplicaProcess p = current;
            return new ReplicaStatus(id, state, ready, reason, since, restarts,
                    p == null ? 0 : p.pid(), p == null ? 0 : p.port());
        }
    }

    /** Starts the kubelet's termination sequence; the future completes when every process of the replica is gone. */
    public CompletableFuture<Void> stop() {
        stopRequested.complete(null);
        return terminated;
    }

    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    // ---- the lifecycle, on the replica's own thread -------------------------------------------

    private void lifecycle() {
        int backOffStep = 0;
        try {
            while (!stopRequested.isDone() || adopted != null) {
                if (adopted == null) setState(ReplicaState.PENDING, "Scheduled");
                ReplicaProcess instance = adopted != null ? adopt(adopted) : launch();
                adopted = null;
                Duration ran = Duration.ZERO;
                boolean failedToStart = instance == null;
                if (instance != null) {
                    ran = runUntilExitOrKill(instance);
                    if (stopRequested.isDone()) break;
                }
                backOffStep = backOffStep == 0 ? 1 : config.backOff().nextStep(backOffStep, ran);
                Duration delay = config.backOff().delay(backOffStep);
                synchronized (lock) {
                    if (!failedToStart) restarts++;
                }
                String what = failedToStart ? "replica that failed to start" : "failed replica";
                setState(failedToStart ? ReplicaState.FAILED : ReplicaState.CRASH_LOOP_BACK_OFF, failedToStart ? "Failed" : "BackOff");
                if (delay.isZero()) event(Type.Warning, "Restarting", "restarting " + what + " at once (first failure in a row)");
                else event(Type.Warning, "BackOff", "back-off " + Termination.seconds(delay) + " restarting " + what);
                try {
                    stopRequested.get(delay.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException restartNow) {
                    // the back-off is over
                }
            }
        } catch (InterruptedException | ExecutionException e) {
            Thread.currentThread().interrupt();
        } finally {
            config.values().release(id);
            setState(ReplicaState.TERMINATED, "Stopped");
            terminated.complete(null);
        }
    }

    private ReplicaProcess launch() {
        int port = Ports.freeLoopbackPort();
        try {
            ValueSource.Resolved values = config.values().resolve(template, id);
            Template launched = values.applyTo(template);
            var env = ProcessLauncher.environment(launched.env(), port, id);
            ReplicaProcess p = launched.runsContainer() ? ContainerStart.launch(id, launched, port, env, values.mounts(), config, log.file(), this::event)
                    : ProcessLauncher.launch(launched.command(), env, config.workingDir(), port, log.file());
            if (config.watchdog() != null) config.watchdog().watch(p.pid(), GracePeriod.of(template, null).plusSeconds(2));
            synchronized (lock) {
                current = p;
                started = template.startupProbe() == null;
                terminating = false;
                ready = false;
                killRequest = new CompletableFuture<>();
            }
            setState(started ? ReplicaState.RUNNING : ReplicaState.STARTING, "Started");
            event(Type.Normal, "Started", p.container() != null
                    ? "started container " + p.container() + " (" + template.image() + ") pid " + p.pid() + " on port " + port
                    : "started pid " + p.pid() + " on port " + port + ": " + abbreviate(String.join(" ", template.command())));
            startWorkers(p);
            if (template.readinessProbe() == null && started) setReady(p, true, "no readiness probe");
            return p;
        } catch (ProcessLauncher.LaunchException e) {
            event(Type.Warning, "Failed", e.getMessage());
            return null;
        } catch (ValueSource.ValueException e) {
            // As the kubelet's CreateContainerConfigError: the replica does not start without what its template reads.
            event(Type.Warning, "Failed", "Error: " + e.getMessage());
            return null;
        } catch (Images.ImageException e) {
            // As the kubelet's ErrImagePull: no container of this revision runs; the back-off and the progress deadline follow.
            event(Type.Warning, "ErrImagePull", e.getMessage());
            return null;
        } catch (RuntimeException e) {
            // Whatever else a start throws is a failed start too: backed off, never a thread that dies and is replaced at once.
            event(Type.Warning, "Failed", "could not start: " + e);
            return null;
        }
    }

    private ReplicaProcess adopt(ReplicaProcess p) {
        if (config.watchdog() != null) config.watchdog().watch(p.pid(), GracePeriod.of(template, null).plusSeconds(2));
        synchronized (lock) {
            current = p;
            started = true;
            terminating = false;
            killRequest = new CompletableFuture<>();
        }
        if (stopRequested.isDone()) {
            event(Type.Normal, "Adopted", "adopted running pid " + p.pid() + " on port " + p.port() + " to finish its termination");
            return p;
        }
        setState(ReplicaState.RUNNING, "Adopted");
        boolean wasReady;
        synchronized (lock) {
            wasReady = ready;
        }
        event(Type.Normal, "Adopted", "adopted running pid " + p.pid() + " on port " + p.port()
                + (wasReady ? ", Ready as the data plane was routing to it" : ""));
        startWorkers(p);
        if (template.readinessProbe() == null) setReady(p, true, "no readiness probe");
        return p;
    }

    /** Waits for the process to exit by itself, for a probe to ask for a kill, or for stop; returns how long it ran. */
    private Duration runUntilExitOrKill(ReplicaProcess p) throws InterruptedException, ExecutionException {
        CompletableFuture<String> kill;
        synchronized (lock) {
            kill = killRequest;
        }
        CompletableFuture<Object> first = CompletableFuture.anyOf(p.onExit(), kill, stopRequested);
        first.get();
        if (!p.isAlive() && !kill.isDone()) {
            stopWorkers();
            int leftovers = p.killGroup();
            String tail = log.tail(1).stream().findFirst().map(l -> ": " + abbreviate(l)).orElse("");
            setReadyFalse(p);
            event(Type.Warning, "Exited", "exited with " + p.exitDescription() + tail
                    + (leftovers > 0 ? " (killed " + leftovers + " process(es) it left behind)" : ""));
        } else {
            String why = kill.isDone() ? kill.getNow("killed") : "stop requested";
            terminate(p, why, GracePeriod.of(template, kill.isDone() ? why : null));
        }
        if (config.watchdog() != null) config.watchdog().forget(p.pid());
        return Duration.between(p.startTime(), Instant.now());
    }

    /** The kubelet's order: out of Ready (so traffic stops), preStop, SIGTERM, SIGKILL at the deadline. */
    private void terminate(ReplicaProcess p, String why, Duration grace) throws InterruptedException {
        synchronized (lock) {
            terminating = true;
        }
        setReadyFalse(p);
        setState(ReplicaState.TERMINATING, "Killing");
        event(Type.Normal, "Killing", "stopping (" + why + "), grace period " + Termination.seconds(grace));
        synchronized (lock) { // readiness keeps running during termination, as in the kubelet
            workers.forEach((kind, worker) -> {
                if (kind != ProbeKind.READINESS) worker.stop();
            });
        }
        Instant begin = Instant.now();
        int leftovers = Termination.run(p, id, template.preStop(), config.drain(), grace, this::event);
        stopWorkers();
        event(Type.Normal, "Terminated", "exited with " + p.exitDescription() + " after "
                + Termination.seconds(Duration.between(begin, Instant.now())) + (leftovers > 0 ? "; killed " + leftovers + " leftover process(es)" : ""));
    }

    // ---- probe verdicts, from the workers' threads --------------------------------------------

    private void startWorkers(ReplicaProcess p) {
        synchronized (lock) {
            for (ProbeKind kind : ProbeKind.values()) {
                template.probe(kind).ifPresent(probe -> workers.put(kind, new ProbeWorker(kind, probe, p, this).start(id)));
            }
        }
    }

    private void stopWorkers() {
        synchronized (lock) {
            workers.values().forEach(ProbeWorker::stop);
            workers.clear();
        }
    }

    @Override
    public boolean started(ReplicaProcess instance) {
        synchronized (lock) {
            return instance == current && started;
        }
    }

    @Override
    public boolean terminating(ReplicaProcess instance) {
        synchronized (lock) {
            return instance != current || terminating;
        }
    }

    @Override
    public void onAttempt(ReplicaProcess instance, ProbeKind kind, ProbeResult result, ProbeCounter counter) {
        config.listener().onProbe(id, kind, result);
        if (result.outcome() == Outcome.FAILURE && !counter.set() && !terminating(instance)) {
            event(Type.Warning, "Unhealthy", capitalized(kind) + " probe failed (" + counter.run() + " in a row): " + result.detail());
        }
    }

    @Override
    public void onVerdict(ReplicaProcess instance, ProbeKind kind, ProbeResult result, ProbeCounter counter) {
        if (terminating(instance) && kind != ProbeKind.READINESS) return;
        boolean success = counter.cached() == Outcome.SUCCESS;
        switch (kind) {
            case STARTUP -> {
                if (success) {
                    synchronized (lock) {
                        started = true;
                    }
                    setState(ReplicaState.RUNNING, "Started");
                    event(Type.Normal, "Started", "startup probe succeeded: " + result.detail());
                    ProbeWorker readiness;
                    synchronized (lock) {
                        readiness = workers.get(ProbeKind.READINESS);
                    }
                    if (readiness != null) readiness.triggerNow();
                    else setReady(instance, true, "no readiness probe");
                } else {
                    killFor(instance, "Startup probe failed " + counter.run() + " times in a row: " + result.detail());
                }
            }
            case READINESS -> setReady(instance, success, result.detail());
            case LIVENESS -> {
                if (!success) killFor(instance, "Liveness probe failed " + counter.run() + " times in a row: " + result.detail());
            }
        }
    }

    /** Restarts the replica's process as a failed liveness probe does (out of traffic, terminated, started again): {@code why} says why. */
    public void restart(String why) {
        ReplicaProcess p;
        synchronized (lock) {
            p = current;
        }
        if (p != null) killFor(p, why);
    }

    private void killFor(ReplicaProcess instance, String why) {
        CompletableFuture<String> kill;
        synchronized (lock) {
            if (instance != current) return;
            kill = killRequest;
        }
        event(Type.Warning, "Unhealthy", why + "; will be restarted");
        kill.complete(why);
    }

    private void setReady(ReplicaProcess instance, boolean value, String detail) {
        boolean changed;
        synchronized (lock) {
            if (instance != current) return;
            boolean effective = value && started && !terminating;
            changed = ready != effective;
            ready = effective;
        }
        if (changed) {
            publish();
            event(value ? Type.Normal : Type.Warning, value ? "Ready" : "NotReady", detail);
        }
    }

    private void setReadyFalse(ReplicaProcess p) {
        boolean changed;
        synchronized (lock) {
            if (p != current) return;
            changed = ready;
            ready = false;
        }
        if (changed) {
            publish();
            event(Type.Normal, "NotReady", "removed from traffic");
        }
    }

    private void setState(ReplicaState newState, String why) {
        synchronized (lock) {
            if (state == newState && reason.equals(why)) return;
            state = newState;
            reason = why;
            since = Instant.now();
        }
        publish();
    }

    private void publish() {
        config.listener().onStatus(status());
    }

    private void event(Type type, String why, String message) {
        config.listener().onEvent(new ReplicaEvent(Instant.now(), id, type, why, message));
    }

    private static String capitalized(ProbeKind kind) {
        String s = kind.toString();
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String abbreviate(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }
}
