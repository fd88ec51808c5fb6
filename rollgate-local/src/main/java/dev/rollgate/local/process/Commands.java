package dev.rollgate.local.process;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the program of an argv the way execvp would, so a missing command is reported before anything starts. */
public final class Commands {

    private Commands() {}

    /** The executable for {@code program}: a path (relative to {@code workingDir}) or a name looked up on PATH. */
    public static Optional<Path> resolve(String program, Path workingDir, String pathVariable) {
        if (program.contains("/")) {
            Path p = workingDir.resolve(program);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = pathVariable == null ? "/usr/local/bin:/usr/bin:/bin" : pathVariable;
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir).resolve(program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** Why {@code program} cannot run, in words for the person who wrote the spec. */
    public static String whyNot(String program, Path workingDir) {
        if (program.contains("/")) {
            Path p = workingDir.resolve(program);
            if (!Files.exists(p)) return "command " + program + " not found (looked at " + p + ")";
            if (Files.isDirectory(p)) return "command " + program + " is a directory";
            return "command " + program + " is not executable (" + p + ")";
        }
        return "command " + program + " not found on PATH";
    }
}
