package dev.rollgate.kubernetes;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the operator needs of a cluster before it starts, asked once with one list of at most one
 * Rollout: an API server that answers, the Rollout CRD installed, and leave to list Rollouts. Each
 * missing piece is said in words with what to do, rather than an operator that waits in silence
 * for informers that never sync.
 */
public final class Preflight {

    private Preflight() {}

    /** Throws an {@link IllegalStateException} that says what is missing; {@code namespace} null: every namespace. */
    public static void check(KubernetesClient client, String namespace) {
        var rollouts = client.resources(RolloutResource.class);
        var options = new ListOptionsBuilder().withLimit(1L).build();
        try {
            if (namespace == null) rollouts.inAnyNamespace().list(options);
            else rollouts.inNamespace(namespace).list(options);
        } catch (KubernetesClientException e) {
            throw new IllegalStateException(problem(e, client.getMasterUrl().toString(), namespace), e);
        }
    }

    static String problem(KubernetesClientException e, String server, String namespace) {
        String where = namespace == null ? "in any namespace" : "in namespace " + namespace;
        return switch (e.getCode()) {
            case 404 -> "the API server at " + server + " does not serve Rollouts: install the CRDs first"
                    + " (./rollgate schema --crd | kubectl apply -f -, or kubectl apply -f deploy/crds.yaml)";
            case 401 -> "the API server at " + server + " does not accept these credentials (401): check the kubeconfig's user";
            case 403 -> "not allowed to list Rollouts " + where + " (403): bind the operator's ServiceAccount to its role (deploy/rbac.yaml)";
            case 0, -1 -> unreachable(server, e);
            default -> "listing Rollouts " + where + " failed (" + e.getCode() + "): " + e.getMessage();
        };
    }

    /** A call that got no answer ({@code getCode()} -1 or 0): the server, and what kept the call from it. */
    public static String unreachable(String server, KubernetesClientException e) {
        return "cannot reach the API server" + (server == null ? "" : " at " + server) + ": " + cause(e)
                + " (is the kubeconfig's server right, and the cluster up?)";
    }

    /**
     * What kept a call from the server: the I/O errors in the chain that say something (a type more
     * telling than IOException, or a message), outermost first: "ConnectException: ClosedChannelException",
     * "UnknownHostException: nowhere.example", "HttpConnectTimeoutException: HTTP connect timed out".
     */
    static String cause(Throwable e) {
        List<String> said = new ArrayList<>();
        Throwable t = e;
        for (int depth = 0; t != null && depth < 20; t = t.getCause(), depth++) {
            if (!(t instanceof IOException) || (t.getClass() == IOException.class && t.getMessage() == null)) continue;
            String words = t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
            if (said.stream().noneMatch(w -> w.contains(words))) said.add(words);
        }
        return said.isEmpty() ? e.getClass().getSimpleName() + ": " + e.getMessage() : String.join(": ", said);
    }
}
