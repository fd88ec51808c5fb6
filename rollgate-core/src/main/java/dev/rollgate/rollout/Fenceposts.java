package dev.rollgate.rollout;

import dev.rollgate.spec.IntOrPercent;
import dev.rollgate.spec.RolloutSpec;
import dev.rollgate.spec.Strategy;

/**
 * Kubernetes' {@code ResolveFenceposts}: maxSurge rounds up, maxUnavailable rounds down, and if
 * both come to 0 maxUnavailable becomes 1 (so that a rollout can always make progress).
 */
public record Fenceposts(int maxSurge, int maxUnavailable) {

    public static Fenceposts resolve(IntOrPercent maxSurge, IntOrPercent maxUnavailable, int replicas) {
        int surge = maxSurge.scaledValue(replicas, true);
        int unavailable = maxUnavailable.scaledValue(replicas, false);
        if (surge == 0 && unavailable == 0) unavailable = 1;
        return new Fenceposts(surge, unavailable);
    }

    /** A spec's fenceposts: its rolling update's; Recreate, canary and blue-green have no surge and count no unavailability. */
    public static Fenceposts of(RolloutSpec spec) {
        return spec.strategy() instanceof Strategy.RollingUpdate ru
                ? resolve(ru.maxSurge(), ru.maxUnavailable(), spec.replicas()) : new Fenceposts(0, 0);
    }

    /** {@code MaxUnavailable(d)}: capped at replicas, and 0 when there are none. */
    public int maxUnavailable(int replicas) {
        return replicas == 0 ? 0 : Math.min(maxUnavailable, replicas);
    }
}
