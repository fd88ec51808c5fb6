package dev.rollgate.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** A command about one applied service: the daemon to ask (--state-dir) and the service's NAME. */
abstract class ServiceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DaemonOptions daemon;

    @Parameters(paramLabel = "NAME", description = "The service.")
    String name;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** The service in the admin API. */
    String path() {
        return "/v1/services/" + DaemonClient.encode(name);
    }
}
