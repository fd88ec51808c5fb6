package dev.rollgate.simulation;

import dev.rollgate.controller.Decision;
import dev.rollgate.controller.Observed;
import dev.rollgate.controller.Reconciler;
import dev.rollgate.controller.RolloutStatus;
import dev.rollgate.controller.SchemaMigrations;
import dev.rollgate.controller.StateStore;
import dev.rollgate.controller.VerbResult;
import dev.rollgate.spec.AnalysisRef;
import dev.rollgate.spec.RolloutSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntToLongFunction;

/**
 * One service's controller in virtual time: the real {@link Reconciler} over a simulated platform,
 * router and analysis runner, an in-memory store and a clock that moves only from one moment
 * something can change to the next. {@code plan --simulate} and the controller's tests drive it.
 */
public final class Simulation {

    public final VirtualClock clock;
    public final SimulatedPlatform platform;
    public final SimulatedAnalyses analyses;
    public final MemoryStateStore store;
    private final String name;
    private SimulatedRouter router = new SimulatedRouter();
    private Reconciler reconciler;
    private Instant wakeAt;

    /**
     * @param readyAfterMillis the start delay of the n-th new replica ({@link SimulatedPlatform#NEVER_READY}: never)
     * @param termination      how long a stopped replica takes to be gone
     * @param analysis         how each analysis run ends, by its key and reference
     */
    public Simulation(String name, RolloutSpec spec, RolloutStatus status, Instant start, IntToLongFunction readyAfterMillis,
                      Duration termination, BiFunction<String, AnalysisRef, SimulatedAnalyses.Outcome> analysis) {
        this.name = name;
        this.clock = new VirtualClock(start);
        this.platform = new SimulatedPlatform(clock, readyAfterMillis, termination);
        this.analyses = new SimulatedAnalyses(clock, analysis);
        this.store = new MemoryStateStore(new StateStore.Stored(spec, 1, status));
        this.reconciler = reconciler();
    }

    private Reconciler reconciler() {
        return new Reconciler(name, platform, router, analyses, SchemaMigrations.NONE, store, clock);
    }

    /** Passes at this instant until one changes nothing (the controller is level-triggered); the last decision. */
    public Decision settle() {
        Decision d = null;
        for (int round = 0; round < 20; round++) {
            List<Observed.Group> before = platform.groups();
            StateStore.Stored stored = store.load();
            d = reconciler.reconcile();
            if (platform.groups().equals(before) && store.load().equals(stored)) break;
        }
        wakeAt = d.wakeAt();
        return d;
    }

    /**
     * Moves the clock to the next moment something can change: a replica ready or gone, an
     * analysis run ending, a timed wait, the progress deadline; at most {@code resync} later.
     */
    public void advance(Duration resync) {
        Instant next = nextChange(), cap = clock.instant().plus(resync);
        clock.set(next == null || next.isAfter(cap) ? cap : next);
    }

    /** The next moment anything is due, ignoring the resync: null when nothing will ever change by itself. */
    public Instant nextChange() {
        Instant next = null;
        for (Instant t : new Instant[] {wakeAt, platform.nextChange(), analyses.nextChange()}) { // wakeAt has the progress deadline
            if (t != null && t.isAfter(clock.instant()) && (next == null || t.isBefore(next))) next = t;
        }
        return next;
    }

    /** A verb against the stored state, as the admin API runs it. */
    public VerbResult verb(Function<StateStore.Stored, VerbResult> verb) {
        return reconciler.verb(verb);
    }

    /** A new spec, as {@code apply} stores it (a new generation). */
    public void apply(RolloutSpec spec) {
        StateStore.Stored s = store.load();
        store.save(new StateStore.Stored(spec, s.generation() + 1, s.status()), List.of());
    }

    /**
     * The controller process restarts: a new reconciler and router that know only what is stored,
     * and analysis runs that start afresh (as on the embedded platform); the replicas keep running.
     */
    public void restartController() {
        router = new SimulatedRouter();
        analyses.restart();
        reconciler = reconciler();
        wakeAt = null;
    }

    public RolloutStatus status() {
        return store.load().status();
    }

    public SimulatedRouter router() {
        return router;
    }
}
