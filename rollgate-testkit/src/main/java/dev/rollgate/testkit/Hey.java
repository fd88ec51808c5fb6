package dev.rollgate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * hey, the HTTP load generator, run for as long as a test's steps take: started before them, stopped
 * (SIGINT, on which hey prints its report) once they are done, so the load never has to outlast
 * them by a guess. Ten minutes is only the cap that ends a forgotten run.
 */
public final class Hey implements AutoCloseable {

    private static final Pattern CODE = Pattern.compile("\\[(\\d{3})]\\s+(\\d+) responses");

    private final Process process;
    private final Path output;

    private Hey(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** hey -c {@code concurrency} against {@code uri} until {@link #stop()}; hey is installed first when missing. */
    public static Hey start(URI uri, int concurrency) {
        Packages.ensure("hey");
        try {
            Path output = Files.createTempFile("hey", ".txt");
            Process process = new ProcessBuilder(List.of("hey", "-z", "10m", "-c", Integer.toString(concurrency), uri.toString()))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            return new Hey(process, output);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start hey against " + uri, e);
        }
    }

    /** Whether hey still sends (it ended early only if it failed or hit the cap). */
    public boolean running() {
        return process.isAlive();
    }

    /** Stops the load and returns hey's report. */
    public Report stop() {
        try {
            if (process.isAlive()) {
                Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start();
                kill.waitFor(10, TimeUnit.SECONDS);
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("hey did not stop within 60 s of SIGINT");
            }
            return Report.parse(Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping hey", e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            Files.deleteIfExists(output);
        } catch (IOException ignored) {
            // a temporary file; the OS cleans up what is left
        }
    }

    /** What hey saw: responses by class, and whether any request ended in a socket error (its "Error distribution"). */
    public record Report(long ok, long other, boolean socketErrors, String text) {

        static Report parse(String text) {
            Matcher codes = CODE.matcher(text);
            long ok = 0, other = 0;
            while (codes.find()) {
                if (codes.group(1).startsWith("2")) ok += Long.parseLong(codes.group(2));
                else other += Long.parseLong(codes.group(2));
            }
            return new Report(ok, other, text.contains("Error distribution"), text);
        }

        /** Every request answered 2xx, none failed on the socket. */
        public boolean clean() {
            return other == 0 && !socketErrors;
        }
    }
}
