package dev.rollgate.simulation;

import dev.rollgate.analysis.AnalysisPhase;
import dev.rollgate.analysis.AnalysisRunView;
import dev.rollgate.controller.Action;
import dev.rollgate.controller.AnalysisRunner;
import dev.rollgate.spec.AnalysisRef;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Analysis runs in virtual time: each run the controller asks for starts now and ends with the
 * outcome the simulation's rule gives it for its key, after that outcome's delay. A run no longer
 * asked for stops (as the real runner terminates it); finished runs stay listed.
 */
public final class SimulatedAnalyses implements AnalysisRunner {

    /** How a run ends: its phase once {@code after} has passed since it started (RUNNING: it never ends by itself). */
    public record Outcome(AnalysisPhase phase, Duration after) {}

    private record Run(String key, AnalysisRef ref, Instant started, Outcome outcome, boolean stopped) {}

    private final InstantSource clock;
    private final BiFunction<String, AnalysisRef, Outcome> rule;
    private final Map<String, Run> runs = new LinkedHashMap<>();

    public SimulatedAnalyses(InstantSource clock, BiFunction<String, AnalysisRef, Outcome> rule) {
        this.clock = clock;
        this.rule = rule;
    }

    @Override
    public List<AnalysisRunView> runs() {
        List<AnalysisRunView> out = new ArrayList<>();
        for (Run r : runs.values()) out.add(new AnalysisRunView(r.key(), String.join(",", r.ref().templates()), phase(r), r.started(), List.of()));
        return out;
    }

    @Override
    public void run(Action.RunAnalyses wanted) {
        for (var e : List.copyOf(runs.entrySet())) {
            Run r = e.getValue();
            if (!wanted.runs().containsKey(e.getKey()) && !r.stopped() && !phase(r).completed()) {
                runs.put(e.getKey(), new Run(r.key(), r.ref(), r.started(), new Outcome(AnalysisPhase.SUCCESSFUL, Duration.ZERO), true));
            }
        }
        wanted.runs().forEach((key, ref) -> runs.computeIfAbsent(key, k -> new Run(k, ref, clock.instant(), rule.apply(k, ref), false)));
    }

    /** When the next running run ends, or null. */
    public Instant nextChange() {
        Instant next = null;
        for (Run r : runs.values()) {
            if (r.stopped() || r.outcome().phase() == AnalysisPhase.RUNNING) continue;
            Instant at = r.started().plus(r.outcome().after());
            if (at.isAfter(clock.instant()) && (next == null || at.isBefore(next))) next = at;
        }
        return next;
    }

    /** Forgets every run, as a daemon restart does (runs start afresh when still wanted). */
    public void restart() {
        runs.clear();
    }

    private AnalysisPhase phase(Run r) {
        if (r.stopped()) return r.outcome().phase();
        return clock.instant().isBefore(r.started().plus(r.outcome().after())) ? AnalysisPhase.RUNNING : r.outcome().phase();
    }
}
