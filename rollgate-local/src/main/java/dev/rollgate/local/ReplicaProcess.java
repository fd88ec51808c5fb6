package dev.rollgate.local;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One started instance of a replica: the OS process (leader of its own process group), its
 * port and environment. A restart makes a new instance; the replica slot stays.
 */
public record ReplicaProcess(Process process, long pid, Instant startTime, int port, Map<String, String> env, Path workingDir) {

    public ReplicaProcess {
        env = Map.copyOf(env);
    }

    public ProbeTarget target() {
        return new ProbeTarget(port, env, workingDir);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Optional<Integer> exitCode() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    /** SIGTERM to the main process only, as the runtime sends it to a container's PID 1. */
    public void sendTerm() {
        process.destroy();
    }

    /** SIGKILL to every process of the replica's group; returns how many got it. */
    public int killGroup() {
        int killed = ProcessGroup.killAll(pid);
        if (process.isAlive()) {
            process.destroyForcibly();
            killed++;
        }
        return killed;
    }
}
