package dev.rollgate.cli;

import dev.rollgate.kubernetes.ClusterRollouts;
import dev.rollgate.kubernetes.Preflight;
import dev.rollgate.spec.Durations;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The CLI's connection to a cluster: a kubeconfig (or the usual one), a context, a namespace. */
final class Clusters {

    private Clusters() {}

    /** The API server the command talks to, for the words of an error that does not name it. */
    private static volatile String server;

    /**
     * A client for the kubeconfig's cluster. A command gives up on a server that does not answer
     * after one retry (fabric8's default of ten, backing off, is 20 s of silence), as kubectl does.
     */
    static KubernetesClient client(Path kubeconfig, String context) {
        return client(kubeconfig, context, DEFAULT_REQUEST_TIMEOUT);
    }

    /** kubectl waits forever by default; a command of Rollgate's gives a call this long for its whole answer. */
    static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(20);

    /** {@code --request-timeout} as given, or the default. */
    static Duration requestTimeout(String flag) {
        if (flag == null) return DEFAULT_REQUEST_TIMEOUT;
        return Durations.parse(flag).filter(d -> !d.isZero() && d.compareTo(Duration.ofHours(1)) <= 0)
                .orElseThrow(() -> new CliException("--request-timeout: a duration from 1ms to 1h, e.g. 30s or 2m, got '" + flag + "'"));
    }

    static KubernetesClient client(Path kubeconfig, String context, Duration requestTimeout) {
        if (kubeconfig != null && !Files.isReadable(kubeconfig)) throw new CliException("--kubeconfig " + kubeconfig + ": no such file");
        Config config;
        try {
            config = kubeconfig == null ? Config.autoConfigure(context)
                    : Config.fromKubeconfig(context, Files.readString(kubeconfig), kubeconfig.toString());
        } catch (IOException | RuntimeException e) {
            throw new CliException("cannot use the kubeconfig" + (kubeconfig == null ? "" : " " + kubeconfig)
                    + (context == null ? "" : " (context " + context + ")") + ": " + e.getMessage());
        }
        if (context != null && config.getContexts() != null && config.getContexts().stream().noneMatch(c -> context.equals(c.getName()))) {
            throw new CliException("--context " + context + ": no such context in the kubeconfig (it has: "
                    + String.join(", ", config.getContexts().stream().map(c -> c.getName()).toList()) + ")");
        }
        config.setRequestRetryBackoffLimit(1);
        config.setConnectionTimeout(5_000);
        // fabric8's timeout waits for an answer's head, once per try: two tries share the whole deadline.
        config.setRequestTimeout((int) Math.max(1, Math.min(requestTimeout.toMillis() / 2, Integer.MAX_VALUE)));
        server = config.getMasterUrl();
        return new KubernetesClientBuilder().withConfig(config)
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("rollgate-limits", new ApiCallLimits(requestTimeout))).build();
    }

    /** Words for a failed call to the cluster: the API server's own message, or what kept the call from reaching it. */
    static String problem(KubernetesClientException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ApiCallLimits.Exceeded limit) return "the API server at " + server + ": " + limit.getMessage();
        }
        if (e.getStatus() != null && e.getStatus().getMessage() != null) return "the cluster: " + e.getStatus().getMessage();
        if (e.getCode() <= 0) return Preflight.unreachable(server, e);
        return "the cluster answered " + e.getCode() + ": " + e.getMessage();
    }

    static ClusterRollouts rollouts(Path kubeconfig, String context, String namespace, Duration requestTimeout) {
        KubernetesClient client = client(kubeconfig, context, requestTimeout);
        String ns = namespace != null ? namespace : client.getNamespace() != null ? client.getNamespace() : "default";
        return new ClusterRollouts(client, ns, Duration.ofSeconds(30));
    }
}
