package dev.rollgate.local.replica;

import dev.rollgate.spec.Probe;
import dev.rollgate.spec.Template;
import java.time.Duration;

/** The kubelet's arithmetic for how long SIGTERM gets after preStop has used part of the grace period. */
public final class GracePeriod {

    /** The kubelet's {@code minimumGracePeriodInSeconds}: SIGTERM always gets at least this long. */
    public static final Duration MINIMUM_AFTER_PRE_STOP = Duration.ofSeconds(2);

    private GracePeriod() {}

    /**
     * Time from SIGTERM to SIGKILL: what is left of the grace period after preStop, but never less
     * than 2 s (which is the one-off extension a preStop hook that ran out the whole period gets).
     * A grace period of 0 means kill at once.
     */
    public static Duration afterPreStop(Duration grace, Duration preStopElapsed) {
        if (grace.isZero()) return Duration.ZERO;
        Duration left = grace.minus(preStopElapsed);
        return left.compareTo(MINIMUM_AFTER_PRE_STOP) < 0 ? MINIMUM_AFTER_PRE_STOP : left;
    }

    /**
     * The grace period of a replica of {@code template} killed for {@code why}: a failed liveness or startup probe's own
     * {@code terminationGracePeriodSeconds} when it has one (as the kubelet), else the template's; null {@code why}: a stop.
     */
    public static Duration of(Template template, String why) {
        Probe killer = why == null ? null
                : why.startsWith("Liveness") ? template.livenessProbe() : why.startsWith("Startup") ? template.startupProbe() : null;
        if (killer != null && killer.terminationGracePeriodSeconds() != null) return Duration.ofSeconds(killer.terminationGracePeriodSeconds());
        return Duration.ofSeconds(template.terminationGracePeriodSeconds());
    }
}
