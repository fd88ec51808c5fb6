package dev.rollgate.spec;

import java.time.Duration;

/**
 * What happens after a canary or blue-green rollout completes: for {@code duration} the previous
 * revision keeps {@code keepPrevious} replicas running, probed and out of routing, while
 * {@code analysis} keeps judging the new one; a failed analysis or {@code rollout undo} sends
 * the traffic back to those warm replicas in one routing change.
 *
 * @param analysis     run during the bake against the previous revision's last numbers before promotion, or null
 * @param keepPrevious replicas of the previous revision kept warm (null: all of spec.replicas)
 */
public record Bake(Duration duration, AnalysisRef analysis, Integer keepPrevious) {

    /** The previous revision's size during the bake. */
    public int keep(int replicas) {
        return keepPrevious == null ? replicas : Math.min(keepPrevious, replicas);
    }
}
