package dev.rollgate.plan;

import dev.rollgate.lint.Linter;
import dev.rollgate.lint.ManifestNode;
import dev.rollgate.lint.Workload;
import dev.rollgate.spec.Handler;
import dev.rollgate.spec.IntOrPercent;
import dev.rollgate.spec.Probe;
import dev.rollgate.spec.Rollout;
import dev.rollgate.spec.RolloutSpec;
import dev.rollgate.spec.Strategy;
import dev.rollgate.spec.Template;
import java.util.List;
import java.util.Map;

/**
 * What the planner needs from any rollout-like object, whichever kind it came from.
 *
 * @param startupSeconds   estimated from the startup probe: its initial delay plus one period
 * @param readinessSeconds estimated from the readiness probe: initial delay plus (successThreshold − 1) periods
 * @param cpuRequest       cores requested per replica, summed over containers (0 when unset)
 * @param memoryRequest    bytes requested per replica (0 when unset)
 * @param progressDeadlineSeconds the spec's deadline (Kubernetes' 600 when the manifest has none), for the simulation
 * @param source           the Rollgate spec it came from (its canary or blue-green steps are simulated as they are), or null
 */
public record PlanInput(String kind, String name, int replicas, IntOrPercent maxSurge, IntOrPercent maxUnavailable, boolean recreate,
                        int minReadySeconds, double startupSeconds, double readinessSeconds, int preStopSleepSeconds,
                        double cpuRequest, long memoryRequest, int progressDeadlineSeconds, RolloutSpec source) {

    public PlanInput(String kind, String name, int replicas, IntOrPercent maxSurge, IntOrPercent maxUnavailable, boolean recreate,
                     int minReadySeconds, double startupSeconds, double readinessSeconds, int preStopSleepSeconds,
                     double cpuRequest, long memoryRequest, int progressDeadlineSeconds) {
        this(kind, name, replicas, maxSurge, maxUnavailable, recreate, minReadySeconds, startupSeconds, readinessSeconds, preStopSleepSeconds,
                cpuRequest, memoryRequest, progressDeadlineSeconds, null);
    }

    public static PlanInput of(Rollout r) {
        RolloutSpec s = r.spec();
        Template t = s.template();
        boolean recreate = s.strategy() instanceof Strategy.Recreate;
        // Canary and blue-green (traffic-routed) bring the whole new revision up beside the old one before it goes:
        // as a rolling update with maxSurge 100 %, maxUnavailable 0 (their pauses and analysis add to the time).
        Strategy.RollingUpdate ru = switch (s.strategy()) {
            case Strategy.RollingUpdate x -> x;
            case Strategy.Recreate x -> new Strategy.RollingUpdate(IntOrPercent.of(0), IntOrPercent.percent(100));
            case Strategy.Canary x -> new Strategy.RollingUpdate(IntOrPercent.percent(100), IntOrPercent.of(0));
            case Strategy.BlueGreen x -> new Strategy.RollingUpdate(IntOrPercent.percent(100), IntOrPercent.of(0));
        };
        return new PlanInput("Rollout", r.name(), s.replicas(), ru.maxSurge(), ru.maxUnavailable(), recreate, s.minReadySeconds(),
                startup(t.startupProbe()), readiness(t.readinessProbe()), t.preStop() instanceof Handler.Sleep sl ? sl.seconds() : 0, 0, 0,
                s.progressDeadlineSeconds(), s);
    }

    /** A Kubernetes Deployment, StatefulSet or Argo Rollout (DaemonSets have no replica count to plan). */
    public static PlanInput of(Workload w) {
        double startup = 0, readiness = 0, cpu = 0;
        long memory = 0;
        int preStop = 0;
        for (Workload.Container c : w.containers()) {
            startup = Math.max(startup, probeStartup(c.startup()));
            readiness = Math.max(readiness, probeReadiness(c.readiness()));
            preStop = Math.max(preStop, Linter.preStopSleep(c.preStop()));
            cpu += Quantities.cores(c.resources().at("requests", "cpu").text());
            memory += Quantities.bytes(c.resources().at("requests", "memory").text());
        }
        boolean recreate = w.maxUnavailable() == null;
        return new PlanInput(w.manifest().kind(), w.manifest().name(), w.replicas() == null ? 0 : w.replicas(),
                recreate ? IntOrPercent.of(0) : intOrPercent(w.maxSurge()), recreate ? IntOrPercent.percent(100) : intOrPercent(w.maxUnavailable()),
                recreate, w.minReady().integer(0), startup, readiness, preStop, cpu, memory, RolloutSpec.DEFAULT_PROGRESS_DEADLINE_SECONDS);
    }

    /**
     * A spec the real controller can run in the simulator: a Rollgate spec's own strategy, without
     * its webhooks and database, and without progressDeadlineAbort (the simulation ends at the deadline).
     */
    public RolloutSpec toSpec() {
        if (source != null) {
            RolloutSpec s = source;
            return new RolloutSpec(s.replicas(), s.minReadySeconds(), Math.max(s.progressDeadlineSeconds(), s.minReadySeconds() + 1),
                    false, s.revisionHistoryLimit(), false, s.maxConcurrentStarts(), 0, s.service(), s.template(),
                    s.strategy(), List.of(), s.analysisTemplates(), null);
        }
        Strategy strategy = recreate ? new Strategy.Recreate() : new Strategy.RollingUpdate(maxSurge, maxUnavailable);
        Template t = new Template(null, List.of(name), Map.of(), null, null, null, null, null, 30);
        return new RolloutSpec(replicas, minReadySeconds, Math.max(progressDeadlineSeconds, minReadySeconds + 1), false, 10, false, 0, 0, null, t, strategy);
    }

    static double startup(Probe p) {
        return p == null ? 0 : p.initialDelaySeconds() + p.periodSeconds();
    }

    static double readiness(Probe p) {
        return p == null ? 0 : p.initialDelaySeconds() + (double) (p.successThreshold() - 1) * p.periodSeconds();
    }

    private static double probeStartup(ManifestNode p) {
        return p.exists() ? p.get("initialDelaySeconds").integer(0) + p.get("periodSeconds").integer(10) : 0;
    }

    private static double probeReadiness(ManifestNode p) {
        return p.exists() ? p.get("initialDelaySeconds").integer(0)
                + (double) (p.get("successThreshold").integer(1) - 1) * p.get("periodSeconds").integer(10) : 0;
    }

    private static IntOrPercent intOrPercent(String s) {
        try {
            if (s.endsWith("%")) return IntOrPercent.percent(Integer.parseInt(s.substring(0, s.length() - 1)));
            return IntOrPercent.of(Integer.parseInt(s));
        } catch (RuntimeException e) {
            return IntOrPercent.of(0);
        }
    }
}
