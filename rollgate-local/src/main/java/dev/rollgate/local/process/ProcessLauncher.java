package dev.rollgate.local.process;

import dev.rollgate.local.container.ContainerRun;
import dev.rollgate.local.container.Podman;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts a replica's argv directly (never through a shell) in a new session, so that its whole
 * process tree can be found and stopped as one group and a Ctrl-C at Rollgate's terminal does not
 * reach it before Rollgate has drained it.
 */
public final class ProcessLauncher {

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    /** The variable that names a replica in its process's environment (and a container's). */
    public static final String REPLICA_VARIABLE = "ROLLGATE_REPLICA";
    /** The variable that marks a replica process as one daemon's (its state directory), to find orphans after a crash. */
    public static final String DAEMON_VARIABLE = "ROLLGATE_DAEMON";

    private ProcessLauncher() {}

    /** Why a process could not be started: said in words for the person who wrote the spec. */
    public static final class LaunchException extends Exception {
        public LaunchException(String message) {
            super(message);
        }
    }

    /** The environment a replica gets: Rollgate's own, then the template's, then PORT and ROLLGATE_REPLICA. */
    public static Map<String, String> environment(Map<String, String> templateEnv, int port, String replica) {
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        env.putAll(templateEnv);
        env.put("PORT", Integer.toString(port));
        env.put(REPLICA_VARIABLE, replica);
        return env;
    }

    public static ReplicaProcess launch(List<String> command, Map<String, String> env, Path workingDir, int port, Path logFile)
            throws LaunchException {
        List<String> argv = EnvExpansion.expand(command, env);
        if (!Files.isDirectory(workingDir)) {
            throw new LaunchException("working directory " + workingDir + " does not exist");
        }
        Optional<Path> program = Commands.resolve(argv.getFirst(), workingDir, env.get("PATH"));
        if (program.isEmpty()) throw new LaunchException(Commands.whyNot(argv.getFirst(), workingDir));
        List<String> full = new ArrayList<>();
        full.add(setsid().toString());
        full.add(program.get().toString());
        full.addAll(argv.subList(1, argv.size()));
        return start(argv.getFirst(), full, env, env, workingDir, port, logFile, null);
    }

    /**
     * Starts a container replica: its {@code podman run}, attached, is the replica's process (so its output is the
     * replica's log and its exit the replica's exit). {@code hostEnv} is podman's environment (the template's values,
     * passed on by name); {@code containerEnv} is what the program inside sees, for exec handlers.
     */
    public static ReplicaProcess launchContainer(ContainerRun run, Map<String, String> hostEnv, Map<String, String> containerEnv,
                                                 Path workingDir, Path logFile) throws LaunchException {
        Optional<String> missing = Podman.missing();
        if (missing.isPresent()) throw new LaunchException(missing.get());
        List<String> full = new ArrayList<>(List.of(setsid().toString()));
        full.addAll(Podman.command(run.argv()));
        return start("podman", full, hostEnv, containerEnv, workingDir, run.hostPort(), logFile, run.name());
    }

    /** {@code program}: what the person wrote, for the error. */
    private static ReplicaProcess start(String program, List<String> full, Map<String, String> env, Map<String, String> recorded, Path workingDir,
                                        int port, Path logFile, String container) throws LaunchException {
        ProcessBuilder pb = new ProcessBuilder(full).directory(workingDir.toFile());
        pb.environment().clear();
        try {
            pb.environment().putAll(env);
        } catch (IllegalArgumentException e) {
            // The spec reader refuses a NUL; an environment inherited or stored before it did gets a failed start, backed off.
            throw new LaunchException("cannot pass the environment to the process: " + e.getMessage());
        }
        try {
            PrivateFiles.directory(logFile.getParent());
            PrivateFiles.file(logFile);   // a replica's output may hold what it was given in secret
        } catch (IOException e) {
            throw new LaunchException("cannot create log directory " + logFile.getParent() + ": " + e.getMessage());
        }
        pb.redirectInput(Redirect.from(Path.of("/dev/null").toFile()));
        pb.redirectOutput(Redirect.appendTo(logFile.toFile()));
        pb.redirectErrorStream(true);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new LaunchException("could not start " + program + ": " + e.getMessage());
        }
        awaitOwnGroup(process);
        Instant started = process.info().startInstant().orElse(Instant.now());
        return ReplicaProcess.started(process, started, port, recorded, workingDir, container);
    }

    /** setsid(1) makes the process leader of a new group right after exec; wait for that so group kills find it. */
    private static void awaitOwnGroup(Process process) {
        long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (process.isAlive() && System.nanoTime() < end) {
            if (ProcessGroup.groupOf(process.pid()).map(g -> g == process.pid()).orElse(false)) return;
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Path setsid() throws LaunchException {
        if (Files.isExecutable(SETSID)) return SETSID;
        return Commands.resolve("setsid", Path.of("/"), System.getenv("PATH"))
                .orElseThrow(() -> new LaunchException("setsid (util-linux) is required to run replicas in their own process group"));
    }
}
