package dev.rollgate.analysis.run;

import dev.rollgate.analysis.MetricSource;
import java.util.Map;

/**
 * What an analysis run measures against: the revisions' numbers, the two revisions (by template
 * hash, the label their metrics carry), the run's arguments, and what runs a job metric.
 */
public record RunContext(String service, MetricSource metrics, String stableRevision, String canaryRevision,
                         Map<String, String> args, JobRunner jobs) {}
