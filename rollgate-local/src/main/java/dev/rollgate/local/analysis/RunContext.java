package dev.rollgate.local.analysis;

import dev.rollgate.proxy.TrafficMetrics;
import java.nio.file.Path;
import java.util.Map;

/**
 * What an analysis run measures against: the proxy's numbers, the two revisions (by the
 * proxy's revision label, the template hash), the run's arguments and where jobs run.
 */
public record RunContext(String service, TrafficMetrics metrics, String stableRevision, String canaryRevision,
                         Map<String, String> args, Path workingDir) {}
