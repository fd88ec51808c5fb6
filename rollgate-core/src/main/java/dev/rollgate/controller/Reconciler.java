package dev.rollgate.controller;

import dev.rollgate.rollout.TemplateHash;
import java.time.InstantSource;
import java.util.function.Function;

/**
 * One service's reconcile loop, level-triggered: each pass observes the platform, the analysis
 * runs and the migrations, asks {@link RolloutController#decide}, stores the decision, and only
 * then acts on it. The caller decides when passes run (a thread, an operator's event loop, a test).
 */
public final class Reconciler {

    private final String name;
    private final Platform platform;
    private final TrafficRouter router;
    private final AnalysisRunner analyses;
    private final SchemaMigrations migrations;
    private final StateStore store;
    private final InstantSource clock;

    public Reconciler(String name, Platform platform, TrafficRouter router, AnalysisRunner analyses, SchemaMigrations migrations,
                      StateStore store, InstantSource clock) {
        this.name = name;
        this.platform = platform;
        this.router = router;
        this.analyses = analyses;
        this.migrations = migrations;
        this.store = store;
        this.clock = clock;
    }

    /** observe -> decide -> persist -> apply. */
    public Decision reconcile() {
        StateStore.Stored stored = store.load();
        Observed observed = new Observed(platform.groups(), analyses.runs(),
                migrations.state(TemplateHash.of(stored.spec().template())), clock.instant());
        Decision d = RolloutController.decide(name, stored.spec(), stored.generation(), stored.status(), observed);
        long generation = d.spec().equals(stored.spec()) ? stored.generation() : stored.generation() + 1;
        store.save(new StateStore.Stored(d.spec(), generation, d.status()), d.events());
        for (Action a : d.actions()) {
            switch (a) {
                case Action.CreateGroup c -> platform.create(c);
                case Action.ScaleGroup s -> platform.scale(s);
                case Action.DeleteGroup x -> platform.delete(x);
                case Action.SetTraffic t -> router.route(t.plan());
                case Action.SetPreviewPort p -> router.previewPort(p.port());
                case Action.RunAnalyses r -> analyses.run(r);
                case Action.ExpandMigrations e -> migrations.expand(e.hash());
                case Action.ReportRollout r -> migrations.report(r);
            }
        }
        platform.converge();
        return d;
    }

    /** A verb against what is stored; a {@link VerbResult.Done} is stored (a changed spec is a new generation) before it returns. */
    public VerbResult verb(Function<StateStore.Stored, VerbResult> verb) {
        StateStore.Stored stored = store.load();
        VerbResult result = verb.apply(stored);
        if (result instanceof VerbResult.Done done) {
            boolean specChanged = !done.spec().equals(stored.spec());
            if (specChanged || !done.status().equals(stored.status()) || !done.events().isEmpty()) {
                store.save(new StateStore.Stored(done.spec(), specChanged ? stored.generation() + 1 : stored.generation(), done.status()),
                        done.events());
            }
        }
        return result;
    }

    /** The groups as the platform has them now (for undo, views). */
    public Platform platform() {
        return platform;
    }
}
