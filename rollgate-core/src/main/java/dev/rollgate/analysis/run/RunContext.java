package dev.rollgate.analysis.run;

import dev.rollgate.analysis.MetricSource;
import java.util.Map;

/**
 * What an analysis run measures against: the revisions' numbers, the two revisions (by template
 * hash, the label their metrics carry), the run's arguments, and what runs a job metric.
 *
 * @param bake the run judges a bake: "stable" is the previous revision's numbers frozen at the first look
 * @param load where load metrics send requests, or null where the platform has no proxy of its own
 */
public record RunContext(String service, MetricSource metrics, String stableRevision, String canaryRevision,
                         Map<String, String> args, JobRunner jobs, boolean bake, LoadTarget load) {

    public RunContext(String service, MetricSource metrics, String stableRevision, String canaryRevision, Map<String, String> args,
                      JobRunner jobs, boolean bake) {
        this(service, metrics, stableRevision, canaryRevision, args, jobs, bake, null);
    }

    public RunContext(String service, MetricSource metrics, String stableRevision, String canaryRevision, Map<String, String> args,
                      JobRunner jobs) {
        this(service, metrics, stableRevision, canaryRevision, args, jobs, false, null);
    }
}
