package dev.rollgate.health;

import dev.rollgate.health.HealthReport.CheckView;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The application's health: checks registered for startup, readiness and liveness, run in the
 * background each on its own schedule and with its own timeout, so that a probe request only
 * reads the latest results and never waits on a dependency.
 *
 * <p>Readiness also has three gates the application controls: {@link #markStarted()} (warm-up:
 * DOWN until startup work is done), {@link #markNotReady()} / {@link #markReady()}, and
 * {@link #beginShutdown()}. Liveness has none of them: it stays UP while the application shuts
 * down, so a drain is never mistaken for a hang.
 */
public final class Health implements AutoCloseable {

    static final String STARTED = "started";
    static final String READY = "ready";
    static final String SHUTDOWN = "shutdown";

    private final Clock clock;
    private final Map<String, Registered> checks = new ConcurrentHashMap<>();
    private final List<String> order = new CopyOnWriteArrayList<>();
    private final List<HealthListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<HealthGroup, Status> published = new EnumMap<>(HealthGroup.class);
    private volatile boolean started;
    private volatile boolean ready = true;
    private volatile boolean shuttingDown;
    private volatile boolean running;

    private record Registered(String name, HealthCheck check, CheckOptions options, AtomicReference<CheckState> state,
                              AtomicReference<Thread> inFlight, AtomicReference<Thread> loop) {}

    public Health() {
        this(Clock.systemUTC());
    }

    public Health(Clock clock) {
        this.clock = clock;
        for (HealthGroup kind : HealthGroup.values()) published.put(kind, null);
    }

    /** Registers a check; with {@link #start()} already called it is scheduled at once. */
    public Health register(String name, HealthCheck check, CheckOptions options) {
        if (name.equals(STARTED) || name.equals(READY) || name.equals(SHUTDOWN)) {
            throw new IllegalArgumentException("\"" + name + "\" is a built-in check name; choose another");
        }
        Registered r = new Registered(name, check, options, new AtomicReference<>(CheckState.NOT_RUN), new AtomicReference<>(),
                new AtomicReference<>());
        if (checks.putIfAbsent(name, r) != null) throw new IllegalArgumentException("a check named \"" + name + "\" is already registered");
        order.add(name);
        if (running) startLoop(r);
        publishChanges();
        return this;
    }

    public Health addListener(HealthListener listener) {
        listeners.add(listener);
        return this;
    }

    /** Starts running every check in the background. */
    public Health start() {
        running = true;
        for (String name : order) startLoop(checks.get(name));
        return this;
    }

    /** Startup work is done: startup turns UP, and readiness may. */
    public void markStarted() {
        started = true;
        publishChanges();
    }

    public void markReady() {
        ready = true;
        publishChanges();
    }

    public void markNotReady() {
        ready = false;
        publishChanges();
    }

    /** Readiness goes DOWN for good; liveness is untouched. Called by {@link GracefulShutdown}. */
    public void beginShutdown() {
        shuttingDown = true;
        publishChanges();
    }

    public boolean isShuttingDown() {
        return shuttingDown;
    }

    /** Runs every check once now, on the caller's thread (each still bounded by its timeout). */
    public void refresh() {
        for (String name : order) runOnce(checks.get(name));
    }

    public HealthReport report(HealthGroup kind) {
        List<CheckView> views = new ArrayList<>();
        if (kind != HealthGroup.LIVENESS) {
            views.add(gate(STARTED, started, started ? "startup work done" : "waiting for markStarted()"));
        }
        if (kind == HealthGroup.READINESS) {
            views.add(gate(READY, ready, ready ? "accepting traffic" : "marked not ready"));
            views.add(gate(SHUTDOWN, !shuttingDown, shuttingDown ? "shutting down" : "running"));
        }
        for (String name : order) {
            Registered r = checks.get(name);
            if (!r.options().kinds().contains(kind)) continue;
            CheckState s = r.state().get();
            Status shown = s.effective() != null ? s.effective() : kind == HealthGroup.LIVENESS ? Status.UP : Status.DOWN;
            views.add(new CheckView(name, shown, r.options().critical(), s.data(), s.lastDuration()));
        }
        boolean up = views.stream().noneMatch(v -> v.critical() && v.status() == Status.DOWN);
        return new HealthReport(up ? Status.UP : Status.DOWN, views);
    }

    /** All three probes together, as MicroProfile's {@code /health}: UP only when each is. */
    public HealthReport overall() {
        List<CheckView> views = new ArrayList<>();
        boolean up = true;
        for (HealthGroup kind : HealthGroup.values()) {
            HealthReport r = report(kind);
            up &= r.status() == Status.UP;
            for (CheckView v : r.checks()) {
                if (views.stream().noneMatch(o -> o.name().equals(v.name()))) views.add(v);
            }
        }
        return new HealthReport(up ? Status.UP : Status.DOWN, views);
    }

    /** Each registered check with its options and state, for metrics. */
    Map<String, CheckState> states() {
        Map<String, CheckState> out = new LinkedHashMap<>();
        for (String name : order) out.put(name, checks.get(name).state().get());
        return out;
    }

    @Override
    public void close() {
        running = false;
        checks.values().forEach(r -> {
            for (Thread t : new Thread[] {r.loop().get(), r.inFlight().get()}) {
                if (t != null) t.interrupt();
            }
        });
    }

    private static CheckView gate(String name, boolean up, String why) {
        return new CheckView(name, up ? Status.UP : Status.DOWN, true, Map.of("reason", why), Duration.ZERO);
    }

    /** Each check runs on a virtual thread of its own, so a slow check never delays another. */
    private void startLoop(Registered r) {
        r.loop().set(Thread.ofVirtual().name("health-" + r.name()).start(() -> {
            while (running) {
                runOnce(r);
                try {
                    Thread.sleep(r.options().interval());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }));
    }

    /**
     * One run on a virtual thread of its own, bounded by the timeout. A run that overstays is
     * reported DOWN and interrupted; while it still hangs no second run starts, so a check that
     * ignores interrupts holds one thread, never a growing pile of them.
     */
    private void runOnce(Registered r) {
        long startNanos = System.nanoTime();
        Thread hanging = r.inFlight().get();
        CheckResult result;
        if (hanging != null && hanging.isAlive()) {
            result = CheckResult.down("previous run still running (timed out after "
                    + r.options().timeout().toMillis() + " ms); not started again");
        } else {
            AtomicReference<CheckResult> out = new AtomicReference<>();
            Thread t = Thread.ofVirtual().name("health-check-" + r.name()).unstarted(() -> out.set(safely(r.check())));
            r.inFlight().set(t);
            t.start();
            try {
                boolean done = t.join(r.options().timeout());
                if (done) {
                    result = out.get();
                    r.inFlight().set(null);
                } else {
                    t.interrupt();
                    result = CheckResult.down("timed out after " + r.options().timeout().toMillis() + " ms");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                t.interrupt();
                return;
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        CheckState before = r.state().get();
        CheckState after = before.observe(result, clock.instant(), took, r.options());
        r.state().set(after);
        if (before.effective() != after.effective()) {
            for (HealthListener l : listeners) l.onCheckChange(r.name(), before.effective(), after.effective(), result);
            publishChanges();
        }
    }

    private static CheckResult safely(HealthCheck check) {
        try {
            CheckResult r = check.check();
            return r == null ? CheckResult.down("check returned null") : r;
        } catch (InterruptedException e) {
            return CheckResult.down("interrupted");
        } catch (Exception | LinkageError | StackOverflowError e) {
            // MicroProfile: an exception in a procedure is a DOWN entry named after it.
            return CheckResult.down(e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private void publishChanges() {
        List<Runnable> notifications = new ArrayList<>();
        synchronized (published) {
            for (HealthGroup kind : HealthGroup.values()) {
                Status now = report(kind).status();
                Status before = published.put(kind, now);
                if (before != now && before != null) {
                    notifications.add(() -> listeners.forEach(l -> l.onProbeChange(kind, before, now)));
                }
            }
        }
        notifications.forEach(Runnable::run);
    }
}
