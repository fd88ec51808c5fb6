package dev.rollgate.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rollgate get [NAME]}: one line per service, as {@code kubectl get deployments}. */
@Command(name = "get", mixinStandardHelpOptions = true, description = "List services: revision, version, ready, up-to-date and available replicas, phase, port, age.")
final class GetCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DaemonOptions daemon;

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "One service (default: all).")
    String name;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT",
            description = "json or yaml: print the services as data; wide: add the image the current revision runs (its digest).")
    String output;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        boolean wide = "wide".equals(output);
        if (output != null && !output.isEmpty() && !wide && !List.of("json", "yaml").contains(output)) {
            throw new CliException("-o: unknown output format '" + output + "'; use json, yaml or wide");
        }
        Target target = daemon.target();
        if (!wide && output != null && !output.isEmpty()) {
            Output.data(out, output, name == null ? target.services() : target.service(name));
            return 0;
        }
        // The table comes made (the daemon makes it, ServiceTable): the everyday get reads no JSON (ADR 0019).
        Target.Listing listing = target.listing(name, wide);
        if (listing.table().rows().isEmpty()) {
            out.println("No services. Apply one with: rollgate apply -f FILE");
            out.flush();
            return 0;
        }
        Output.table(out, listing.table().header(), listing.table().rows(), "");
        out.flush();
        for (String w : listing.warnings()) spec.commandLine().getErr().println("rollgate: warning: " + w);
        spec.commandLine().getErr().flush();
        return 0;
    }
}
