package dev.rollgate.cli;

import picocli.CommandLine.Command;

/** {@code rollgate delete NAME}: stops every replica of a service gracefully and forgets it; on a cluster, deletes the Rollout. */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = {"Delete a service: its replicas are drained and stopped, its proxy closes; its events stay.",
                "On a cluster (--kubeconfig, --context, -n): the Rollout is deleted, and what it owns with it."})
final class DeleteCommand extends ServiceCommand {

    @Override
    public Integer call() {
        out().println(daemon.target().delete(name));
        out().flush();
        return 0;
    }
}
