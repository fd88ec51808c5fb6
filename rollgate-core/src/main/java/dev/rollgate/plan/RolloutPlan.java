package dev.rollgate.plan;

import dev.rollgate.rollout.Fenceposts;
import dev.rollgate.spec.IntOrPercent;
import dev.rollgate.spec.Probe;
import dev.rollgate.spec.RolloutSpec;
import dev.rollgate.spec.Strategy;
import java.util.ArrayList;
import java.util.List;

/**
 * What a rolling update will cost, from seed 002's arithmetic: batch size, duration
 * {@code ceil(N / batch) × (T_startup + T_readiness + T_minReady)}, capacity bounds, and the failed
 * requests to expect per replica rotation when endpoint removal lags behind SIGTERM.
 *
 * @param failedPerRotation r × max(0, Δt − preStop sleep) × P(hit the draining replica = 1/N);
 *                          0 on Rollgate's own proxy, which removes the endpoint before SIGTERM
 */
public record RolloutPlan(int replicas, String maxSurge, String maxUnavailable, int surge, int unavailable, int batch,
                          double startupSeconds, double readinessSeconds, int minReadySeconds, double seconds,
                          double minCapacity, double maxCapacity, double failedPerRotation) {

    /** Inputs that the spec does not hold. */
    public record Assumptions(Double startupSeconds, double requestsPerSecond, double propagationSeconds, boolean rollgateProxy) {}

    public static RolloutPlan of(RolloutSpec spec, Assumptions a) {
        Strategy.RollingUpdate ru = spec.strategy() instanceof Strategy.RollingUpdate r ? r
                : new Strategy.RollingUpdate(IntOrPercent.of(0), IntOrPercent.percent(100));
        return of(spec, ru.maxSurge(), ru.maxUnavailable(), a);
    }

    public static RolloutPlan of(RolloutSpec spec, IntOrPercent maxSurge, IntOrPercent maxUnavailable, Assumptions a) {
        int n = spec.replicas();
        Fenceposts f = Fenceposts.resolve(maxSurge, maxUnavailable, n);
        int u = f.maxUnavailable(n);
        int batch = Math.max(1, f.maxSurge() + u);
        double startup = a.startupSeconds() != null ? a.startupSeconds() : startupFromProbe(spec.template().startupProbe());
        double readiness = readinessFromProbe(spec.template().readinessProbe());
        double seconds = Math.ceil((double) n / batch) * (startup + readiness + spec.minReadySeconds());
        double preStop = spec.template().preStop() instanceof dev.rollgate.spec.Handler.Sleep s ? s.seconds() : 0;
        double failed = a.rollgateProxy() || n == 0 ? 0 : a.requestsPerSecond() * Math.max(0, a.propagationSeconds() - preStop) / n;
        return new RolloutPlan(n, maxSurge.toString(), maxUnavailable.toString(), f.maxSurge(), u, batch, startup, readiness,
                spec.minReadySeconds(), seconds, n == 0 ? 1 : (double) (n - u) / n, n == 0 ? 1 : (double) (n + f.maxSurge()) / n, failed);
    }

    /** A startup probe passes on its first success: about its initial delay plus one period. */
    static double startupFromProbe(Probe p) {
        return p == null ? 0 : p.initialDelaySeconds() + p.periodSeconds();
    }

    /** Readiness is probed at once after startup, then needs successThreshold successes one period apart. */
    static double readinessFromProbe(Probe p) {
        return p == null ? 0 : p.initialDelaySeconds() + (double) (p.successThreshold() - 1) * p.periodSeconds();
    }

    /** Seed 002's "configuration impact" table: the same service under other surge / unavailable settings. */
    public static List<RolloutPlan> alternatives(RolloutSpec spec, Assumptions a) {
        String[][] settings = {{"25%", "25%"}, {"25%", "0"}, {"1", "0"}, {"0", "1"}, {"50%", "0"}, {"100%", "0"}, {"0", "100%"}};
        List<RolloutPlan> out = new ArrayList<>();
        for (String[] s : settings) out.add(of(spec, parse(s[0]), parse(s[1]), a));
        return out;
    }

    private static IntOrPercent parse(String s) {
        return s.endsWith("%") ? IntOrPercent.percent(Integer.parseInt(s.substring(0, s.length() - 1))) : IntOrPercent.of(Integer.parseInt(s));
    }
}
