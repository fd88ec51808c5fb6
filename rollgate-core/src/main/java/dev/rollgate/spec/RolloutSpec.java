package dev.rollgate.spec;

/** The desired state of one service: replicas, template and rollout strategy. */
public record RolloutSpec(
        int replicas,
        int minReadySeconds,
        int progressDeadlineSeconds,
        boolean progressDeadlineAbort,
        int revisionHistoryLimit,
        boolean paused,
        int maxConcurrentStarts,
        int startJitterSeconds,
        ServiceSpec service,
        Template template,
        Strategy strategy) {

    public static final int DEFAULT_REPLICAS = 1;
    public static final int DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
    public static final int DEFAULT_REVISION_HISTORY_LIMIT = 10;

    /** The same spec running {@code t} (rollback, restart): everything else stays. */
    public RolloutSpec withTemplate(Template t) {
        return new RolloutSpec(replicas, minReadySeconds, progressDeadlineSeconds, progressDeadlineAbort, revisionHistoryLimit,
                paused, maxConcurrentStarts, startJitterSeconds, service, t, strategy);
    }

    public RolloutSpec withPaused(boolean p) {
        return new RolloutSpec(replicas, minReadySeconds, progressDeadlineSeconds, progressDeadlineAbort, revisionHistoryLimit,
                p, maxConcurrentStarts, startJitterSeconds, service, template, strategy);
    }
}
