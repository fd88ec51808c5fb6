package dev.rollgate.cli;

import dev.rollgate.spec.InvalidSpecException;
import dev.rollgate.spec.SpecError;
import dev.rollgate.spec.SpecParser;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rollgate validate -f FILE}: checks a spec without running anything. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a spec file; prints 'valid' or every error with its field path and line, and exits 1 on errors.")
final class ValidateCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE", description = "The spec file (YAML).")
    Path file;

    @Override
    public Integer call() {
        try {
            SpecParser.parseFile(file);
            spec.commandLine().getOut().println("valid");
            return 0;
        } catch (InvalidSpecException e) {
            for (SpecError error : e.errors()) spec.commandLine().getErr().println(file + ": " + error);
            return 1;
        }
    }
}
