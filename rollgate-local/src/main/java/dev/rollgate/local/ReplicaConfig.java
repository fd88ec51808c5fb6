package dev.rollgate.local;

import java.nio.file.Path;

/**
 * How a replica runs beyond its template: where its log goes, which back-off it uses, who hears
 * about it, and the watchdog (null when replicas should outlive Rollgate, as under a daemon).
 */
public record ReplicaConfig(Path workingDir, Path logDir, CrashLoopBackOff backOff, long logMaxBytes,
                            ReplicaListener listener, WatchdogClient watchdog) {}
