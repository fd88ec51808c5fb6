package dev.rollgate.project;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The checkout's own scripts ({@code scripts/postgres.sh}, {@code scripts/registry.sh}, …) that start the
 * real servers tests and demos use: found above the working directory or above the running jar, run to
 * their end, their standard output returned.
 */
public final class ProjectScripts {

    private ProjectScripts() {}

    /** {@code scripts/NAME} of the checkout this runs from. */
    public static Optional<Path> find(String name) {
        for (Path start : new Path[] {Path.of("").toAbsolutePath(), codeLocation()}) {
            for (Path d = start; d != null; d = d.getParent()) {
                Path s = d.resolve("scripts").resolve(name);
                if (Files.isExecutable(s)) return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Runs {@code scripts/NAME ARGS} for at most 10 minutes; its standard output, stripped, or an exception with its errors. */
    public static String run(String name, String... args) throws IOException, InterruptedException {
        Path script = find(name).orElseThrow(() -> new IOException("scripts/" + name + " not found above " + Path.of("").toAbsolutePath()
                + ": run from a Rollgate checkout"));
        List<String> argv = new ArrayList<>(List.of(script.toString()));
        argv.addAll(List.of(args));
        Path log = Files.createTempFile("rollgate-script-", ".log");
        try {
            Process p = new ProcessBuilder(argv).redirectError(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            boolean ended = p.waitFor(10, TimeUnit.MINUTES);
            if (!ended) p.destroyForcibly();
            if (!ended || p.exitValue() != 0) {
                throw new IOException("scripts/" + name + " " + String.join(" ", args) + " failed (exit " + (ended ? p.exitValue() : "none")
                        + "): " + out + " " + Files.readString(log).strip());
            }
            return out;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Starts something on a free loopback port: the port is chosen, then given to the start, which may still lose it. */
    public interface PortStart<T> {
        T on(int port) throws IOException, InterruptedException;
    }

    /** {@code start} on a free loopback port; two more ports are tried if another process took one first. */
    public static <T> T onAFreePort(PortStart<T> start) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            try {
                return start.on(port);
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private static Path codeLocation() {
        try {
            return Path.of(ProjectScripts.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        } catch (Exception e) {
            return null;
        }
    }
}
