package dev.rollgate.local.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rollgate.view.ServiceView;
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
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            ServiceView v = daemon.describe(name);
            v.replicas().forEach(r -> {
                if (r.pid() > 0 && !pids.contains(r.pid())) pids.add(r.pid());
            });
            // On a timeout, the phase last seen and why (an abort's message) say what happened instead.
            assertThat(v.status().observedGeneration() + " " + v.phase()).as(name + ": " + v.status().abortMessage()
                            + (v.status().progressive() == null ? "" : " / " + v.status().progressive().state().abortMessage()))
                    .isEqualTo(v.generation() + " " + phase);
        });
        try {
            return daemon.describe(name);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
