package dev.rollgate.cli;

import dev.rollgate.demo.DemoService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code rollgate demo-service [options]}: runs the demo service in the foreground. */
@Command(name = "demo-service", description = "Run the demo HTTP service (the replica the demo deploys). --help lists its options.")
final class DemoServiceCommand implements Callable<Integer> {

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        DemoService.main(args.toArray(String[]::new));
        Thread.currentThread().join(); // the service runs until it is stopped
        return 0;
    }
}
