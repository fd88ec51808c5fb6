package dev.rollgate.local.process;

import dev.rollgate.local.container.Containers;
import dev.rollgate.local.probe.ProbeTarget;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One started instance of a replica: the OS process (leader of its own process group), its
 * port and environment. A restart makes a new instance; the replica slot stays. An instance
 * adopted after a daemon restart has no {@link Process} (it is not our child any more), only its
 * handle: its exit is seen, its exit code is not. A container replica's process is its {@code podman run}
 * (attached, so the container's output is the replica's log and its exit is the process's);
 * {@code container} is then the container's name, else null.
 */
public record ReplicaProcess(ProcessHandle handle, Process process, long pid, Instant startTime, int port,
                             Map<String, String> env, Path workingDir, String container) {

    public ReplicaProcess {
        env = Map.copyOf(env);
    }

    /** A process this Rollgate started. */
    static ReplicaProcess started(Process process, Instant startTime, int port, Map<String, String> env, Path workingDir, String container) {
        return new ReplicaProcess(process.toHandle(), process, process.pid(), startTime, port, env, workingDir, container);
    }

    /** A process started by an earlier daemon that is still running. */
    public static ReplicaProcess adopted(ProcessHandle handle, int port, Map<String, String> env, Path workingDir, String container) {
        Instant start = handle.info().startInstant().orElse(Instant.now());
        return new ReplicaProcess(handle, null, handle.pid(), start, port, env, workingDir, container);
    }

    public ProbeTarget target() {
        return new ProbeTarget(port, env, workingDir, container);
    }

    public boolean isAlive() {
        return process != null ? process.isAlive() : ProcessGroup.isRunning(pid);
    }

    public CompletableFuture<?> onExit() {
        return process != null ? process.onExit() : handle.onExit();
    }

    public Optional<Integer> exitCode() {
        return process == null || process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    /** "code N", or why it is not known. */
    public String exitDescription() {
        return exitCode().map(c -> "code " + c).orElse("an unknown code (adopted process)");
    }

    /**
     * SIGTERM to the main process only, as the runtime sends it to a container's PID 1. For a container that
     * process is {@code podman run}, which passes the signal on to the container (its --init hands it to the program).
     */
    public void sendTerm() {
        handle.destroy();
    }

    /** SIGKILL to every process of the replica's group, and its container removed; returns how many got it. */
    public int killGroup() {
        int killed = ProcessGroup.killAll(pid);
        if (handle.isAlive()) {
            handle.destroyForcibly();
            killed++;
        }
        if (container != null && Containers.removeOwn(container, env.get(ProcessLauncher.REPLICA_VARIABLE))) killed++;
        return killed;
    }
}
