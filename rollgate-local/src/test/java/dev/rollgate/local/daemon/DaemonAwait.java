package dev.rollgate.local.daemon;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

/** Waiting on an in-process daemon, shared by its end-to-end tests. */
final class DaemonAwait {

    private DaemonAwait() {}

    /**
     * Waits until service {@code name} has observed its latest generation and is in {@code phase},
     * adding every replica pid seen meanwhile to {@code pids} (so a test can check none is left).
     */
    static ServiceView phase(Daemon daemon, String name, String phase, List<Long> pids) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
            ServiceView v = daemon.describe(name);
            v.replicas().forEach(r -> {
                if (r.pid() > 0 && !pids.contains(r.pid())) pids.add(r.pid());
            });
            return v.status().observedGeneration() >= v.generation() && v.phase().equals(phase);
        });
        try {
            return daemon.describe(name);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
