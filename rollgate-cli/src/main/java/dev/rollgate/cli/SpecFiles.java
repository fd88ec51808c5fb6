package dev.rollgate.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code -f FILE}, once or more: the spec files of {@code apply} and {@code diff}, read with errors that name the file. */
final class SpecFiles {

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE", description = "The spec file (YAML, one or more Rollout documents).")
    List<Path> files;

    /** A spec file's text, or an error that names it. */
    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new CliException("-f " + file + ": no such file");
        } catch (IOException e) {
            throw new CliException("-f " + file + ": cannot read: " + e.getMessage());
        }
    }
}
