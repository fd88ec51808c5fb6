package dev.rollgate.spec;

import java.util.List;

/**
 * The desired state of one service: replicas, template and rollout strategy.
 *
 * @param webhooks          where rollout events are POSTed
 * @param analysisTemplates the AnalysisTemplate documents the strategy refers to, resolved from the same file
 * @param database          the database whose migrations the rollout gates, or null
 * @param cluster           what only Kubernetes uses (workloadRef, the canary's HTTPRoute), or null
 * @param driftPolicy       what out-of-band changes to what Rollgate runs get: put back, or reported only
 * @param rollbackWindow    Argo's rollbackWindow.revisions: an undo to one of the last this many revisions skips the canary or blue-green steps
 */
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
        Strategy strategy,
        List<Webhook> webhooks,
        List<AnalysisTemplate> analysisTemplates,
        DatabaseSpec database,
        ClusterSpec cluster,
        boolean requireDigest,
        DriftPolicy driftPolicy,
        int rollbackWindow) {

    public static final int DEFAULT_REPLICAS = 1;
    public static final int DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
    public static final int DEFAULT_REVISION_HISTORY_LIMIT = 10;

    public RolloutSpec {
        webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
        analysisTemplates = analysisTemplates == null ? List.of() : List.copyOf(analysisTemplates);
        if (driftPolicy == null) driftPolicy = DriftPolicy.HEAL;
    }

    public RolloutSpec(int replicas, int minReadySeconds, int progressDeadlineSeconds, boolean progressDeadlineAbort,
                       int revisionHistoryLimit, boolean paused, int maxConcurrentStarts, int startJitterSeconds,
                       ServiceSpec service, Template template, Strategy strategy, List<Webhook> webhooks, List<AnalysisTemplate> analysisTemplates,
                       DatabaseSpec database, ClusterSpec cluster, boolean requireDigest, DriftPolicy driftPolicy) {
        this(replicas, minReadySeconds, progressDeadlineSeconds, progressDeadlineAbort, revisionHistoryLimit, paused,
                maxConcurrentStarts, startJitterSeconds, service, template, strategy, webhooks, analysisTemplates, database, cluster, requireDigest,
                driftPolicy, 0);
    }

    public RolloutSpec(int replicas, int minReadySeconds, int progressDeadlineSeconds, boolean progressDeadlineAbort,
                       int revisionHistoryLimit, boolean paused, int maxConcurrentStarts, int startJitterSeconds,
                       ServiceSpec service, Template template, Strategy strategy, List<Webhook> webhooks, List<AnalysisTemplate> analysisTemplates,
                       DatabaseSpec database, ClusterSpec cluster, boolean requireDigest) {
        this(replicas, minReadySeconds, progressDeadlineSeconds, progressDeadlineAbort, revisionHistoryLimit, paused,
                maxConcurrentStarts, startJitterSeconds, service, template, strategy, webhooks, analysisTemplates, database, cluster, requireDigest,
                DriftPolicy.HEAL);
    }

    public RolloutSpec(int replicas, int minReadySeconds, int progressDeadlineSeconds, boolean progressDeadlineAbort,
                       int revisionHistoryLimit, boolean paused, int maxConcurrentStarts, int startJitterSeconds,
                       ServiceSpec service, Template template, Strategy strategy, List<Webhook> webhooks, List<AnalysisTemplate> analysisTemplates,
                       DatabaseSpec database, ClusterSpec cluster) {
        this(replicas, minReadySeconds, progressDeadlineSeconds, progressDeadlineAbort, revisionHistoryLimit, paused,
                maxConcurrentStarts, startJitterSeconds, service, template, strategy, webhooks, analysisTemplates, database, cluster, false);
    }

    public RolloutSpec(int replicas, int minReadySeconds, int progressDeadlineSeconds, boolean progressDeadlineAbort,
                       int revisionHistoryLimit, boolean paused, int maxConcurrentStarts, int startJitterSeconds,
                       ServiceSpec service, Template template, Strategy strategy, List<Webhook> webhooks, List<AnalysisTemplate> analysisTemplates,
                       DatabaseSpec database) {
        this(replicas, minReadySeconds, progressDeadlineSeconds, progressDeadlineAbort, revisionHistoryLimit, paused,
                maxConcurrentStarts, startJitterSeconds, service, template, strategy, webhooks, analysisTemplates, database, null);
    }

    public RolloutSpec(int replicas, int minReadySeconds, int progressDeadlineSeconds, boolean progressDeadlineAbort,
                       int revisionHistoryLimit, boolean paused, int maxConcurrentStarts, int startJitterSeconds,
                       ServiceSpec service, Template template, Strategy strategy, List<Webhook> webhooks, List<AnalysisTemplate> analysisTemplates) {
        this(replicas, minReadySeconds, progressDeadlineSeconds, progressDeadlineAbort, revisionHistoryLimit, paused,
                maxConcurrentStarts, startJitterSeconds, service, template, strategy, webhooks, analysisTemplates, null);
    }

    /** A spec with no webhooks and no analysis, for the simpler strategies. */
    public RolloutSpec(int replicas, int minReadySeconds, int progressDeadlineSeconds, boolean progressDeadlineAbort,
                       int revisionHistoryLimit, boolean paused, int maxConcurrentStarts, int startJitterSeconds,
                       ServiceSpec service, Template template, Strategy strategy) {
        this(replicas, minReadySeconds, progressDeadlineSeconds, progressDeadlineAbort, revisionHistoryLimit, paused,
                maxConcurrentStarts, startJitterSeconds, service, template, strategy, List.of(), List.of());
    }

    /** The same spec running {@code t} (rollback, restart): everything else stays. */
    public RolloutSpec withTemplate(Template t) {
        return new RolloutSpec(replicas, minReadySeconds, progressDeadlineSeconds, progressDeadlineAbort, revisionHistoryLimit,
                paused, maxConcurrentStarts, startJitterSeconds, service, t, strategy, webhooks, analysisTemplates, database, cluster, requireDigest,
                driftPolicy, rollbackWindow);
    }

    /** The same spec updated by {@code strategy} (Kubernetes' replica-ratio canary). */
    public RolloutSpec withStrategy(Strategy s) {
        return new RolloutSpec(replicas, minReadySeconds, progressDeadlineSeconds, progressDeadlineAbort, revisionHistoryLimit,
                paused, maxConcurrentStarts, startJitterSeconds, service, template, s, webhooks, analysisTemplates, database, cluster, requireDigest,
                driftPolicy, rollbackWindow);
    }

    public RolloutSpec withPaused(boolean p) {
        return new RolloutSpec(replicas, minReadySeconds, progressDeadlineSeconds, progressDeadlineAbort, revisionHistoryLimit,
                p, maxConcurrentStarts, startJitterSeconds, service, template, strategy, webhooks, analysisTemplates, database, cluster, requireDigest,
                driftPolicy, rollbackWindow);
    }

    /** The analysis template named {@code name}; the parser made sure every referenced one exists. */
    public AnalysisTemplate analysisTemplate(String name) {
        return analysisTemplates.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no AnalysisTemplate named " + name));
    }
}
