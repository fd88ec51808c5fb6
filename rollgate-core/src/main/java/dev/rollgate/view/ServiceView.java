package dev.rollgate.view;

import dev.rollgate.controller.RolloutStatus;
import java.time.Instant;
import java.util.List;

/**
 * One service as the admin API shows it (and {@code get}, {@code describe} print it): the
 * spec's essentials, the status with its phase, every revision group and every replica.
 */
public record ServiceView(String name, long generation, String phase, int port, String strategy, int minReadySeconds,
                          int progressDeadlineSeconds, boolean progressDeadlineAbort, RolloutStatus status,
                          List<RevisionView> revisions, List<ReplicaView> replicas, MigrationsView migrations, List<String> drift) {

    public ServiceView {
        drift = drift == null ? List.of() : List.copyOf(drift);
    }

    /** The same view with what was found changed out of band and left as it is (driftPolicy: report). */
    public ServiceView withDrift(List<String> found) {
        return new ServiceView(name, generation, phase, port, strategy, minReadySeconds, progressDeadlineSeconds, progressDeadlineAbort, status,
                revisions, replicas, migrations, found);
    }

    /**
     * One revision group: number, version label, template hash, desired and counted replicas, whether it is the current one,
     * and the image its replicas run ({@code name@sha256:…} once resolved; null for a process).
     */
    public record RevisionView(int number, String version, String hash, int replicas, int current, int ready, int available,
                               Instant created, boolean currentRevision, String image, String sources) {}

    /** One replica: its revision, state, readiness, restarts, pid and port, and the last result of each of its probes. */
    public record ReplicaView(String id, int revision, String state, boolean ready, String reason, Instant since, int restarts,
                              long pid, int port, boolean stopping, List<ProbeView> probes) {}

    /** The last result of one probe of a replica: startup, readiness or liveness, its outcome, why, and when. */
    public record ProbeView(String probe, String outcome, String detail, Instant at) {}
}
