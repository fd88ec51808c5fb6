package dev.rollgate.local.probe;

import dev.rollgate.local.container.Podman;
import dev.rollgate.local.process.Commands;
import dev.rollgate.local.process.EnvExpansion;
import dev.rollgate.spec.Handler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command without a shell in the replica's environment; exit code 0 is success. For a container
 * replica the command runs inside its container ({@code podman exec}), as the kubelet runs it.
 */
public final class ExecProbe {

    private static final int MAX_OUTPUT = 512;

    private ExecProbe() {}

    public static ProbeResult run(Handler.Exec exec, ProbeTarget target, Duration timeout) {
        List<String> argv = EnvExpansion.expand(exec.command(), target.env());
        if (target.container() != null) {
            List<String> inside = new ArrayList<>(List.of("exec", target.container()));
            inside.addAll(argv);
            argv = Podman.command(inside);
        } else if (Commands.resolve(argv.getFirst(), target.workingDir(), pathOf(target.env())).isEmpty()) {
            return ProbeResult.failure("exec probe: " + Commands.whyNot(argv.getFirst(), target.workingDir()));
        }
        ProcessBuilder pb = new ProcessBuilder(argv).directory(target.workingDir().toFile()).redirectErrorStream(true);
        pb.environment().putAll(target.env());
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            return ProbeResult.failure("exec probe could not start " + argv.getFirst() + ": " + e.getMessage());
        }
        try {
            process.getOutputStream().close();
            boolean done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(1, TimeUnit.SECONDS);
                return ProbeResult.failure("exec probe " + String.join(" ", argv) + " timed out after " + timeout.toMillis() + " ms");
            }
            String output = new String(process.getInputStream().readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8).strip();
            String what = "exec probe " + String.join(" ", argv) + " exited with " + process.exitValue()
                    + (output.isEmpty() ? "" : ": " + output.lines().findFirst().orElse(""));
            return process.exitValue() == 0 ? ProbeResult.success(what) : ProbeResult.failure(what);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new ProbeResult(ProbeResult.Outcome.UNKNOWN, "exec probe interrupted");
        } catch (IOException e) {
            return ProbeResult.failure("exec probe output could not be read: " + e.getMessage());
        }
    }

    static String pathOf(Map<String, String> env) {
        Map<String, String> merged = new HashMap<>(System.getenv());
        merged.putAll(env);
        return merged.get("PATH");
    }
}
