package dev.rollgate.local.replica;

import dev.rollgate.local.container.ContainerOwner;
import dev.rollgate.local.process.WatchdogClient;
import java.nio.file.Path;

/**
 * How a replica runs beyond its template: where its log goes, which back-off it uses, who hears
 * about it, the watchdog (null when replicas should outlive Rollgate, as under a daemon), and how
 * it is drained from traffic before it is stopped; for a container replica, whose container it is
 * ({@code owner}: its name and labels), else null.
 */
public record ReplicaConfig(Path workingDir, Path logDir, CrashLoopBackOff backOff, long logMaxBytes,
                            ReplicaListener listener, WatchdogClient watchdog, Drain drain, ContainerOwner owner, ValueSource values) {

    public ReplicaConfig {
        if (values == null) values = ValueSource.NONE;
    }

    public ReplicaConfig(Path workingDir, Path logDir, CrashLoopBackOff backOff, long logMaxBytes,
                         ReplicaListener listener, WatchdogClient watchdog, Drain drain, ContainerOwner owner) {
        this(workingDir, logDir, backOff, logMaxBytes, listener, watchdog, drain, owner, ValueSource.NONE);
    }

    public ReplicaConfig(Path workingDir, Path logDir, CrashLoopBackOff backOff, long logMaxBytes,
                         ReplicaListener listener, WatchdogClient watchdog, Drain drain) {
        this(workingDir, logDir, backOff, logMaxBytes, listener, watchdog, drain, null);
    }

    public ReplicaConfig(Path workingDir, Path logDir, CrashLoopBackOff backOff, long logMaxBytes,
                         ReplicaListener listener, WatchdogClient watchdog) {
        this(workingDir, logDir, backOff, logMaxBytes, listener, watchdog, Drain.NONE);
    }
}
