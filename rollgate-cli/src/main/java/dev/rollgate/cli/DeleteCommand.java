package dev.rollgate.cli;

import picocli.CommandLine.Command;

/** {@code rollgate delete NAME}: stops every replica of a service gracefully and forgets it. */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Delete a service: its replicas are drained and stopped, its proxy closes; its events stay.")
final class DeleteCommand extends ServiceCommand {

    @Override
    public Integer call() {
        daemon.client().delete(path());
        out().println("service/" + name + " deleted");
        out().flush();
        return 0;
    }
}
