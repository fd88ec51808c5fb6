package dev.rollgate.plan;

import dev.rollgate.rollout.Fenceposts;
import dev.rollgate.spec.IntOrPercent;
import java.util.ArrayList;
import java.util.List;

/**
 * What a rolling update will cost, by the Deployment controller's arithmetic: batch size, duration
 * {@code ceil(N / batch) × (T_startup + T_readiness + T_minReady)}, capacity bounds, and the failed
 * requests to expect per replica rotation when endpoint removal lags behind SIGTERM.
 *
 * @param failedPerRotation r × max(0, Δt − preStop sleep) × P(hit the draining replica = 1/N);
 *                          0 on Rollgate's own proxy, which removes the endpoint before SIGTERM
 */
public record RolloutPlan(int replicas, String maxSurge, String maxUnavailable, int surge, int unavailable, int batch,
                          double startupSeconds, double readinessSeconds, int minReadySeconds, double seconds,
                          double minCapacity, double maxCapacity, double failedPerRotation) {

    /** Inputs that the manifest does not hold. */
    public record Assumptions(Double startupSeconds, double requestsPerSecond, double propagationSeconds, boolean rollgateProxy) {}

    public static RolloutPlan of(PlanInput in, Assumptions a) {
        return of(in, in.maxSurge(), in.maxUnavailable(), a);
    }

    public static RolloutPlan of(PlanInput in, IntOrPercent maxSurge, IntOrPercent maxUnavailable, Assumptions a) {
        int n = in.replicas();
        Fenceposts f = in.recreate() ? new Fenceposts(0, n) : Fenceposts.resolve(maxSurge, maxUnavailable, n);
        int u = f.maxUnavailable(n);
        int batch = Math.max(1, f.maxSurge() + u);
        double startup = a.startupSeconds() != null ? a.startupSeconds() : in.startupSeconds();
        double readiness = in.readinessSeconds();
        double seconds = Math.ceil((double) n / batch) * (startup + readiness + in.minReadySeconds());
        double failed = a.rollgateProxy() || n == 0 ? 0 : a.requestsPerSecond() * Math.max(0, a.propagationSeconds() - in.preStopSleepSeconds()) / n;
        return new RolloutPlan(n, in.recreate() ? "Recreate" : maxSurge.toString(), in.recreate() ? "" : maxUnavailable.toString(),
                f.maxSurge(), u, batch, startup, readiness, in.minReadySeconds(), seconds,
                n == 0 ? 1 : (double) (n - u) / n, n == 0 ? 1 : (double) (n + f.maxSurge()) / n, failed);
    }

    /** The "configuration impact" table: the same service under other surge / unavailable settings. */
    public static List<RolloutPlan> alternatives(PlanInput in, Assumptions a) {
        String[][] settings = {{"25%", "25%"}, {"25%", "0"}, {"1", "0"}, {"0", "1"}, {"50%", "0"}, {"100%", "0"}, {"0", "100%"}};
        PlanInput rolling = new PlanInput(in.kind(), in.name(), in.replicas(), in.maxSurge(), in.maxUnavailable(), false,
                in.minReadySeconds(), in.startupSeconds(), in.readinessSeconds(), in.preStopSleepSeconds(), in.cpuRequest(), in.memoryRequest(),
                in.progressDeadlineSeconds());
        List<RolloutPlan> out = new ArrayList<>();
        for (String[] s : settings) out.add(of(rolling, parse(s[0]), parse(s[1]), a));
        return out;
    }

    private static IntOrPercent parse(String s) {
        return s.endsWith("%") ? IntOrPercent.percent(Integer.parseInt(s.substring(0, s.length() - 1))) : IntOrPercent.of(Integer.parseInt(s));
    }
}
