package dev.rollgate.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code rollgate demo}: placeholder until the demo lands. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run the end-to-end demo.")
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 1;
    }
}
