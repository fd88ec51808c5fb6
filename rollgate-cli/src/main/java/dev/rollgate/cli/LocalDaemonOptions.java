package dev.rollgate.cli;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where a command that acts on the embedded platform only finds its daemon ({@code --state-dir}). The
 * cluster flags are refused by name while the command line is read, before anything is touched: a
 * {@code -n prod} that a user expects to reach a cluster must never act on the local daemon instead.
 */
final class LocalDaemonOptions {

    /** The commands that take a cluster's flags, for the refusal to point at. */
    static final String CLUSTER_COMMANDS = "apply, diff, get, describe, delete, events, rollout";

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "The daemon's state directory (default: $ROLLGATE_STATE_DIR or ~/.rollgate).")
    Path stateDir;

    @Option(names = "--kubeconfig", hidden = true, paramLabel = "FILE")
    void kubeconfig(String value) {
        throw refused("--kubeconfig " + value);
    }

    @Option(names = "--context", hidden = true, paramLabel = "NAME")
    void context(String value) {
        throw refused("--context " + value);
    }

    @Option(names = {"-n", "--namespace"}, hidden = true, paramLabel = "NS")
    void namespace(String value) {
        throw refused("-n/--namespace " + value);
    }

    @Option(names = "--request-timeout", hidden = true, paramLabel = "DURATION")
    void requestTimeout(String value) {
        throw refused("--request-timeout " + value);
    }

    private ParameterException refused(String flag) {
        return new ParameterException(command.commandLine(), "'" + command.qualifiedName() + "' acts on the local daemon only and takes no "
                + "cluster flag, got " + flag + " (the commands that act on a cluster: " + CLUSTER_COMMANDS + ")");
    }

    Path dir() {
        return StateDir.resolve(stateDir);
    }

    DaemonClient client() {
        return DaemonClient.connect(dir());
    }
}
