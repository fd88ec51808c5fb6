package dev.rollgate.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a command's services are: the embedded platform's daemon ({@code --state-dir}, default
 * $ROLLGATE_STATE_DIR, else ~/.rollgate), or a Kubernetes cluster where {@code rollgate operator}
 * runs the Rollouts ({@code --kubeconfig}, {@code --context}, {@code -n}).
 */
final class DaemonOptions {

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "A Kubernetes cluster instead of the daemon: this kubeconfig.")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "A Kubernetes cluster instead of the daemon: this kubeconfig context.")
    String context;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "A Kubernetes cluster instead of the daemon: this namespace.")
    String namespace;

    @Option(names = "--request-timeout", paramLabel = "DURATION",
            description = "With a cluster: each call's whole answer within this (default 20s), as kubectl's flag.")
    String requestTimeout;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "The daemon's state directory (default: $ROLLGATE_STATE_DIR or ~/.rollgate).")
    Path stateDir;

    private Target target;

    /** Whether the command is about a cluster. */
    boolean cluster() {
        return kubeconfig != null || context != null || namespace != null;
    }

    /** Where the command acts, chosen once: the cluster when a cluster flag is given, else the daemon (one client for the whole command). */
    Target target() {
        if (target != null) return target;
        if (cluster()) {
            target = new ClusterTarget(Clusters.rollouts(kubeconfig, context, namespace, Clusters.requestTimeout(requestTimeout)));
        } else {
            if (requestTimeout != null) {
                throw new CliException("--request-timeout: for a cluster's API server (with --kubeconfig, --context or -n); the daemon answers on loopback");
            }
            target = new DaemonTarget(DaemonClient.connect(StateDir.resolve(stateDir)));
        }
        return target;
    }
}
