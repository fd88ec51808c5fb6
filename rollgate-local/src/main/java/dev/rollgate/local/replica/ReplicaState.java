package dev.rollgate.local.replica;

/** Where a replica is in its life; shown as Kubernetes shows container and pod states. */
public enum ReplicaState {
    /** Not started yet: picking a port, resolving the command. */
    PENDING("Pending"),
    /** The process runs; its startup probe has not succeeded yet. */
    STARTING("Starting"),
    /** The process runs and has started; see {@code ready} for whether it takes traffic. */
    RUNNING("Running"),
    /** Being stopped: out of traffic, then preStop, SIGTERM, SIGKILL at the grace deadline. */
    TERMINATING("Terminating"),
    /** Exited or was killed; waiting out the restart back-off. */
    CRASH_LOOP_BACK_OFF("CrashLoopBackOff"),
    /** Could not be started at all (command missing, not executable); retried after a back-off. */
    FAILED("Failed"),
    /** Stopped for good. */
    TERMINATED("Terminated");

    private final String display;

    ReplicaState(String display) {
        this.display = display;
    }

    @Override
    public String toString() {
        return display;
    }
}
