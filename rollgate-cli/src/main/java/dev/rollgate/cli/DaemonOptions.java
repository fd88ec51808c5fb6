package dev.rollgate.cli;

import dev.rollgate.json.Json;
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

    /** Whether the command is about a cluster. */
    boolean cluster() {
        return kubeconfig != null || context != null || namespace != null;
    }

    private dev.rollgate.kubernetes.ClusterRollouts rollouts;

    /** The cluster's Rollouts in the namespace (the kubeconfig's, else default); one client for the whole command. */
    dev.rollgate.kubernetes.ClusterRollouts rollouts() {
        if (rollouts == null) rollouts = Clusters.rollouts(kubeconfig, context, namespace, Clusters.requestTimeout(requestTimeout));
        return rollouts;
    }

    @Option(names = "--state-dir", paramLabel = "DIR", description = "The daemon's state directory (default: $ROLLGATE_STATE_DIR or ~/.rollgate).")
    Path stateDir;

    Path dir() {
        return StateDir.resolve(stateDir);
    }

    DaemonClient client() {
        if (requestTimeout != null) {
            throw new CliException("--request-timeout: for a cluster's API server (with --kubeconfig, --context or -n); the daemon answers on loopback");
        }
        return DaemonClient.connect(dir());
    }

    /** One service as the daemon's API answers it, or a Rollout on the cluster in the same shape. */
    com.fasterxml.jackson.databind.JsonNode service(String name) {
        if (!cluster()) return client().get("/v1/services/" + DaemonClient.encode(name));
        return Json.MAPPER.valueToTree(ClusterViews.service(rollout(rollouts(), name)));
    }

    /** Every service, or every Rollout of the namespace. */
    com.fasterxml.jackson.databind.JsonNode services() {
        if (!cluster()) return client().get("/v1/services");
        var c = rollouts();
        java.util.List<dev.rollgate.local.daemon.ServiceView> all = new java.util.ArrayList<>();
        for (String n : c.names()) {
            var v = c.view(n);
            if (v != null) all.add(ClusterViews.service(v));
        }
        return Json.MAPPER.valueToTree(all);
    }

    /** Events of one service (null: all), oldest first, at most {@code limit} of the newest. */
    com.fasterxml.jackson.databind.JsonNode events(String name, int limit) {
        if (!cluster()) {
            String path = name == null ? "/v1/events" : "/v1/services/" + DaemonClient.encode(name) + "/events";
            return client().get(path + "?limit=" + limit);
        }
        return Json.MAPPER.valueToTree(ClusterEventFeed.newest(new ClusterEventFeed(rollouts(), name).all(), limit));
    }

    /** The revisions of a service, oldest first. */
    com.fasterxml.jackson.databind.JsonNode history(String name) {
        if (!cluster()) return client().get("/v1/services/" + DaemonClient.encode(name) + "/history");
        return Json.MAPPER.valueToTree(ClusterViews.history(rollout(rollouts(), name)));
    }

    private static dev.rollgate.kubernetes.ClusterRollouts.View rollout(dev.rollgate.kubernetes.ClusterRollouts c, String name) {
        var v = c.view(name);
        if (v == null) throw noRollout(c, name);
        return v;
    }

    static CliException noRollout(dev.rollgate.kubernetes.ClusterRollouts c, String name) {
        return new CliException("no Rollout " + name + " in namespace " + c.namespace());
    }
}
