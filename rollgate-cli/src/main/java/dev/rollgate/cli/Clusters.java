package dev.rollgate.cli;

import dev.rollgate.kubernetes.ClusterRollouts;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The CLI's connection to a cluster: a kubeconfig (or the usual one), a context, a namespace. */
final class Clusters {

    private Clusters() {}

    static KubernetesClient client(Path kubeconfig, String context) {
        if (kubeconfig != null && !Files.isReadable(kubeconfig)) throw new CliException("--kubeconfig " + kubeconfig + ": no such file");
        try {
            Config config = kubeconfig == null ? Config.autoConfigure(context)
                    : Config.fromKubeconfig(context, Files.readString(kubeconfig), kubeconfig.toString());
            return new KubernetesClientBuilder().withConfig(config).build();
        } catch (java.io.IOException | RuntimeException e) {
            throw new CliException("cannot use the kubeconfig" + (kubeconfig == null ? "" : " " + kubeconfig)
                    + (context == null ? "" : " (context " + context + ")") + ": " + e.getMessage());
        }
    }

    static ClusterRollouts rollouts(Path kubeconfig, String context, String namespace) {
        KubernetesClient client = client(kubeconfig, context);
        String ns = namespace != null ? namespace : client.getNamespace() != null ? client.getNamespace() : "default";
        return new ClusterRollouts(client, ns, Duration.ofSeconds(30));
    }
}
