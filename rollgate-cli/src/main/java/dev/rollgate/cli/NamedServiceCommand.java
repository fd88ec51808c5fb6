package dev.rollgate.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** A command about one applied service, by its NAME; where the service is comes from the subclass's options. */
abstract class NamedServiceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The service.")
    String name;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** The service in the admin API. */
    String path() {
        return DaemonClient.servicePath(name);
    }
}
