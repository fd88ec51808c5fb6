package dev.rollgate.migrate;

import dev.rollgate.project.ProjectScripts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL cluster of its own in a directory, for the tests and {@code rollgate demo
 * migrations}: started and stopped by {@code scripts/postgres.sh} (Debian's package, installed
 * when missing), on loopback, with trust authentication.
 */
public final class ThrowawayPostgres implements AutoCloseable {

    private final Path script;
    private final Path dir;
    private final String url;

    private ThrowawayPostgres(Path script, Path dir, String url) {
        this.script = script;
        this.dir = dir;
        this.url = url;
    }

    /** Starts a cluster in {@code dir} on a free loopback port (another is tried if a process takes it first). */
    public static ThrowawayPostgres start(Path dir) throws IOException, InterruptedException {
        return ProjectScripts.onAFreePort(port -> start(dir, port));
    }

    /** Starts a cluster in {@code dir} (created; given to the postgres user when run as root) on loopback {@code port}. */
    public static ThrowawayPostgres start(Path dir, int port) throws IOException, InterruptedException {
        Path script = script().orElseThrow(() -> new IOException("scripts/postgres.sh not found above " + Path.of("").toAbsolutePath()
                + ": run from a Rollgate checkout"));
        Path log = Files.createTempFile("rollgate-postgres-", ".log");
        Process p = new ProcessBuilder(script.toString(), "start", dir.toString(), Integer.toString(port))
                .redirectError(log.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        boolean ended = p.waitFor(10, TimeUnit.MINUTES);
        String err = Files.readString(log).strip();
        Files.deleteIfExists(log);
        if (!ended || p.exitValue() != 0 || !out.startsWith("jdbc:postgresql:")) {
            throw new IOException("scripts/postgres.sh start failed (exit " + (p.isAlive() ? "none" : p.exitValue()) + "): " + out + " " + err);
        }
        return new ThrowawayPostgres(script, dir, out.lines().reduce((a, b) -> b).orElseThrow());
    }

    /** The JDBC URL of the cluster's {@code app} database, user {@code postgres}. */
    public String url() {
        return url;
    }

    public Database database(Duration lockTimeout) {
        return new Database(url, null, null, lockTimeout);
    }

    /** Stops the cluster and deletes its directory: it was a throwaway. */
    @Override
    public void close() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(script.toString(), "stop", dir.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor(60, TimeUnit.SECONDS);
        try (var walk = Files.walk(dir)) {
            for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }

    /** {@code scripts/postgres.sh} of the checkout this runs from: above the working directory, or above the jar. */
    static Optional<Path> script() {
        return ProjectScripts.find("postgres.sh");
    }
}
