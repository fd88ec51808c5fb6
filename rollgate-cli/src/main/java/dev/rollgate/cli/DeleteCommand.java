package dev.rollgate.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rollgate delete NAME}: stops every replica of a service gracefully and forgets it. */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Delete a service: its replicas are drained and stopped, its proxy closes; its events stay.")
final class DeleteCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DaemonOptions daemon;

    @Parameters(paramLabel = "NAME", description = "The service.")
    String name;

    @Override
    public Integer call() {
        daemon.client().delete("/v1/services/" + DaemonClient.encode(name));
        spec.commandLine().getOut().println("service/" + name + " deleted");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
