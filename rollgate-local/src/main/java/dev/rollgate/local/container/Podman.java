package dev.rollgate.local.container;

import dev.rollgate.local.process.Commands;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Debian's podman, as this host needs it: the runc runtime and explicit nofile / nproc limits (crun and
 * podman's default limits are refused by some kernels with "OCI permission denied"). Every call has a
 * deadline and comes back as a {@link Result}, never an exception.
 */
public final class Podman {

    /** What one podman (or skopeo) command printed and how it ended. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** The last line that says something, for an event or an error. */
        public String why() {
            List<String> lines = output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
            return lines.isEmpty() ? "exit code " + exitCode : lines.getLast();
        }
    }

    /** The options every {@code podman run} gets on this host. */
    public static final List<String> RUN_OPTIONS = List.of("--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024");

    private Podman() {}

    /** Why containers cannot run here, if they cannot: the programs that are missing and how to get them. */
    public static Optional<String> missing() {
        List<String> absent = new ArrayList<>();
        for (String program : List.of("podman", "runc", "skopeo")) {
            if (Commands.resolve(program, Path.of("/"), System.getenv("PATH")).isEmpty()) absent.add(program);
        }
        if (absent.isEmpty()) return Optional.empty();
        return Optional.of("this host cannot run container replicas: " + String.join(", ", absent) + " not found"
                + " (install with: apt-get install " + String.join(" ", absent) + ")");
    }

    /** podman is on the PATH (enough to list and remove containers). */
    public static boolean installed() {
        return Commands.resolve("podman", Path.of("/"), System.getenv("PATH")).isPresent();
    }

    /** The argv of {@code podman --runtime runc ARGS}, as every podman command of Rollgate's starts. */
    public static List<String> command(List<String> args) {
        List<String> argv = new ArrayList<>(List.of("podman", "--runtime", "runc"));
        argv.addAll(args);
        return argv;
    }

    /** Runs {@code podman --runtime runc ARGS}. */
    public static Result podman(Duration timeout, List<String> args) {
        return run(command(args), Map.of(), timeout);
    }

    public static Result podman(Duration timeout, String... args) {
        return podman(timeout, List.of(args));
    }

    /** Runs {@code argv} to its end or its deadline (then killed), output and errors together. */
    public static Result run(List<String> argv, Map<String, String> env, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Result(127, "could not run " + argv.getFirst() + ": " + e.getMessage());
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }, r -> Thread.ofVirtual().start(r));
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return new Result(124, String.join(" ", argv.subList(0, Math.min(argv.size(), 4))) + " did not finish in "
                        + timeout.toSeconds() + "s");
            }
            return new Result(p.exitValue(), out.get(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(130, "interrupted");
        } catch (ExecutionException | TimeoutException e) {
            return new Result(p.exitValue(), "");
        }
    }
}
