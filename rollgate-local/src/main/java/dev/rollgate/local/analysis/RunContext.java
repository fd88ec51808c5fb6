package dev.rollgate.local.analysis;

import dev.rollgate.analysis.MetricSource;
import java.nio.file.Path;
import java.util.Map;

/**
 * What an analysis run measures against: the revisions' numbers, the two revisions (by the
 * proxy's revision label, the template hash), the run's arguments and where jobs run.
 */
public record RunContext(String service, MetricSource metrics, String stableRevision, String canaryRevision,
                         Map<String, String> args, Path workingDir) {}
