package dev.rollgate.analysis.run;

import dev.rollgate.analysis.AnalysisRunView;
import dev.rollgate.analysis.MetricSource;
import dev.rollgate.controller.Action;
import dev.rollgate.controller.AnalysisRunner;
import dev.rollgate.rollout.BakeSteps;
import dev.rollgate.spec.AnalysisRef;
import dev.rollgate.spec.AnalysisTemplate;
import dev.rollgate.spec.RolloutSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The analysis runs of one service: started when the rollout's plan asks for them, stopped when
 * it no longer does. Finished runs stay listed (the last few) so {@code describe} can show why a
 * rollout stopped. Runs do not survive a daemon restart: a wanted run starts afresh.
 */
public final class AnalysisRuns implements AnalysisRunner, AutoCloseable {

    private static final int KEPT = 6;

    private final String service;
    private final Runnable onChange;
    private final Supplier<RolloutSpec> spec;
    private final MetricSource metrics;
    private final JobRunner jobs;
    private final LoadTarget load;
    private final Map<String, AnalysisRun> runs = new LinkedHashMap<>();
    private final Map<String, Boolean> active = new HashMap<>();

    /**
     * @param metrics what builtin and judge metrics read (null: the platform has none; those metrics then end in Error)
     * @param jobs    where job metrics run
     * @param onChange called when a run's phase changes, to wake the controller
     */
    public AnalysisRuns(String service, Supplier<RolloutSpec> spec, MetricSource metrics, JobRunner jobs, Runnable onChange) {
        this(service, spec, metrics, jobs, null, onChange);
    }

    /** @param load where load metrics send their requests (null: the platform has no proxy of its own; they end in Error) */
    public AnalysisRuns(String service, Supplier<RolloutSpec> spec, MetricSource metrics, JobRunner jobs, LoadTarget load, Runnable onChange) {
        this.load = load;
        this.service = service;
        this.spec = spec;
        this.metrics = metrics;
        this.jobs = jobs;
        this.onChange = onChange;
    }

    @Override
    public void run(Action.RunAnalyses wanted) {
        ensure(wanted.runs(), spec.get(), wanted.stableHash(), wanted.canaryHash());
    }

    @Override
    public List<AnalysisRunView> runs() {
        return views();
    }

    /** Starts the runs in {@code wanted} that are not running yet, and stops those no longer wanted. */
    private synchronized void ensure(Map<String, AnalysisRef> wanted, RolloutSpec spec, String stable, String canary) {
        for (var e : runs.entrySet()) {
            if (active.getOrDefault(e.getKey(), false) && !wanted.containsKey(e.getKey())) {
                e.getValue().terminate();
                active.put(e.getKey(), false);
            }
        }
        for (var e : wanted.entrySet()) {
            if (runs.containsKey(e.getKey())) continue;
            AnalysisRef ref = e.getValue();
            List<AnalysisTemplate> templates = ref.templates().stream().map(spec::analysisTemplate).toList();
            RunContext ctx = new RunContext(service, metrics, stable, canary, args(ref, templates, stable, canary), jobs,
                    e.getKey().startsWith(BakeSteps.RUN_PREFIX), load);
            AnalysisRun run = new AnalysisRun(e.getKey(), templates, ctx, onChange);
            runs.put(e.getKey(), run);
            active.put(e.getKey(), true);
            run.start();
        }
        while (runs.size() > KEPT) {
            String oldest = runs.keySet().stream().filter(k -> !active.getOrDefault(k, false)).findFirst().orElse(null);
            if (oldest == null) break;
            runs.remove(oldest);
            active.remove(oldest);
        }
    }

    /** Template defaults, overridden by the rollout's values; valueFrom gives a revision's proxy label (its template hash). */
    private static Map<String, String> args(AnalysisRef ref, List<AnalysisTemplate> templates, String stable, String canary) {
        Map<String, String> args = new HashMap<>();
        for (AnalysisTemplate t : templates) {
            for (AnalysisTemplate.Arg a : t.args()) if (a.value() != null) args.putIfAbsent(a.name(), a.value());
        }
        for (AnalysisRef.AnalysisArg a : ref.args()) {
            String v = a.value() != null ? a.value() : "Stable".equals(a.podTemplateHashValue()) ? stable : canary;
            args.put(a.name(), v);
        }
        return args;
    }

    public synchronized List<AnalysisRunView> views() {
        List<AnalysisRunView> v = new ArrayList<>();
        runs.values().forEach(r -> v.add(r.view()));
        return v;
    }

    @Override
    public synchronized void close() {
        runs.values().forEach(AnalysisRun::terminate);
        active.clear();
    }
}
