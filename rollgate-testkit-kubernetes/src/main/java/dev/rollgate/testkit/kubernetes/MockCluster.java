package dev.rollgate.testkit.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * fabric8's mock API server in CRUD mode, plus what it does not run: a ReplicaSet controller
 * (pods created to each ReplicaSet's size with its template's labels, removed lowest
 * pod-deletion-cost first, then newest) and a kubelet (a pod becomes Ready after the delay its
 * template hash is given, or never). Every 50 ms; nothing else plays a controller.
 */
public final class MockCluster implements AutoCloseable {

    /** A delay no pod waits out: pods of that template never become Ready. */
    public static final Duration NEVER = Duration.ofDays(365);

    /** The labels a ReplicaSet controller reads, as Kubernetes names them. */
    private static final String POD_TEMPLATE_HASH = "pod-template-hash";
    private static final String DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";

    /** The mock server logs every request at INFO; kept quiet (a strong reference: the JDK keeps loggers weakly). */
    private static final Logger QUIET = Logger.getLogger("io.fabric8.mockwebserver");

    static {
        QUIET.setLevel(Level.WARNING);
    }

    /** The mock API server, for expectations ahead of CRUD; null against a real API server. */
    public final KubernetesMockServer server;
    public final KubernetesClient client;
    private final Map<String, Duration> readyAfterByHash = new ConcurrentHashMap<>();
    private volatile Function<String, Duration> readyAfter = hash -> Duration.ofMillis(300);
    private final Thread loop;
    private volatile boolean closed;
    // How the simulated controllers fare, for a test's failure report: a step that throws is counted and the loop goes on.
    private volatile long steps;
    private volatile long failedSteps;
    private volatile String lastFailure = "none";

    /**
     * The mock API server; or, with {@code -Drollgate.test.kubeconfig=FILE} (the {@code real-apiserver}
     * profile), a real API server without controllers (kube-api-test, envtest): the CRDs are
     * installed there, the namespaces made, and the same simulated ReplicaSet controller and kubelet run against it.
     */
    public MockCluster(List<CustomResourceDefinition> crds, String... namespaces) {
        String kubeconfig = System.getProperty("rollgate.test.kubeconfig", "");
        if (!kubeconfig.isEmpty()) {
            server = null;
            client = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(new File(kubeconfig))).build();
            for (var crd : crds) client.resource(crd).createOr(c -> c.update());
            for (String ns : namespaces) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
                        .endMetadata().build()).createOr(c -> c.update());
            }
        } else {
            List<CustomResourceDefinitionContext> kinds = crds.stream().map(CustomResourceDefinitionContext::fromCrd).toList();
            // CRUD for everything, with room for expectations ahead of it (what only a real API server computes)
            Map<ServerRequest, Queue<ServerResponse>> expected = new HashMap<>();
            server = new KubernetesMockServer(new Context(), new MockWebServer(), expected,
                    new KubernetesMixedDispatcher(expected, kinds), false);
            server.init();
            client = server.createClient();
        }
        loop = Thread.ofVirtual().name("mock-cluster").start(this::run);
    }

    /** Pods of every template become Ready {@code after} their creation (NEVER: they never do). */
    public MockCluster readyAfter(Function<String, Duration> rule) {
        this.readyAfter = rule;
        return this;
    }

    private void run() {
        while (!closed) {
            try {
                step();
                steps++;
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) return;
                failedSteps++;
                lastFailure = e.toString();
            }
        }
    }

    private void step() {
        for (ReplicaSet rs : client.apps().replicaSets().inAnyNamespace().list().getItems()) {
            String ns = rs.getMetadata().getNamespace();
            Map<String, String> selector = rs.getSpec().getSelector().getMatchLabels();
            List<Pod> pods = client.pods().inNamespace(ns).withLabels(selector).list().getItems();
            int want = rs.getSpec().getReplicas() == null ? 0 : rs.getSpec().getReplicas();
            for (int i = pods.size(); i < want; i++) {
                String name = rs.getMetadata().getName() + "-" + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36), 36);
                Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(ns)
                        .withLabels(rs.getSpec().getTemplate().getMetadata().getLabels())
                        .withCreationTimestamp(Instant.now().toString())
                        .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName(rs.getMetadata().getName())
                        .withUid(rs.getMetadata().getUid()).withController(true).endOwnerReference().endMetadata()
                        .withSpec(rs.getSpec().getTemplate().getSpec()).withNewStatus().withPhase("Running").endStatus().build();
                client.pods().inNamespace(ns).resource(pod).create();
            }
            if (pods.size() > want) {
                pods.stream().sorted(Comparator.comparingInt(MockCluster::cost).thenComparing((Pod p) -> p.getMetadata().getCreationTimestamp(),
                                Comparator.reverseOrder()))
                        .limit(pods.size() - want).forEach(p -> client.pods().inNamespace(ns).withName(p.getMetadata().getName()).delete());
            }
        }
        Instant now = Instant.now();
        for (Pod p : client.pods().inAnyNamespace().list().getItems()) {
            if (p.getStatus() != null && p.getStatus().getConditions() != null && !p.getStatus().getConditions().isEmpty()) continue;
            String hash = p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get(POD_TEMPLATE_HASH);
            Duration after = hash == null ? Duration.ZERO : readyAfter.apply(hash);
            if (after.compareTo(NEVER) >= 0) continue;
            if (now.isBefore(Instant.parse(p.getMetadata().getCreationTimestamp()).plus(after))) continue;
            client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).editStatus(x -> {
                x.getStatus().setConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus("True")
                        .withLastTransitionTime(now.toString()).build()));
                x.getStatus().setContainerStatuses(x.getSpec().getContainers().stream().map(c -> new ContainerStatusBuilder()
                        .withName(c.getName()).withImage(c.getImage()).withImageID(imageId(c.getImage())).withReady(true).build()).toList());
                return x;
            });
        }
    }

    /**
     * What a kubelet reports as a container's imageID: the runtime's prefix, the repository and the digest the registry gave.
     * Here the digest is the SHA-256 of the reference, so one tag always names one build.
     */
    public static String imageId(String image) {
        if (image == null) return "";
        if (image.contains("@sha256:")) return "docker-pullable://" + image;
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        String repository = colon > slash ? image.substring(0, colon) : image;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(image.getBytes(StandardCharsets.UTF_8));
            return "docker-pullable://" + repository + "@sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the cluster holds now, a line per ReplicaSet and pod, and how its simulated controllers fared: for a failed test's report. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        for (ReplicaSet rs : client.apps().replicaSets().inAnyNamespace().list().getItems()) {
            out.append("ReplicaSet ").append(rs.getMetadata().getNamespace()).append('/').append(rs.getMetadata().getName())
                    .append(" replicas=").append(rs.getSpec().getReplicas()).append(" annotations=").append(rs.getMetadata().getAnnotations()).append('\n');
        }
        for (Pod p : client.pods().inAnyNamespace().list().getItems()) {
            boolean ready = p.getStatus() != null && p.getStatus().getConditions() != null
                    && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            out.append("Pod ").append(p.getMetadata().getNamespace()).append('/').append(p.getMetadata().getName())
                    .append(ready ? " Ready" : " not Ready").append(p.getMetadata().getDeletionTimestamp() == null ? "" : " terminating").append('\n');
        }
        return out.append("simulated ReplicaSet controller and kubelet: ").append(steps).append(" steps, ").append(failedSteps)
                .append(" failed, the last failure: ").append(lastFailure).toString();
    }

    private static int cost(Pod p) {
        var a = p.getMetadata().getAnnotations();
        String v = a == null ? null : a.get(DELETION_COST);
        return v == null ? 0 : Integer.parseInt(v);
    }

    @Override
    public void close() {
        closed = true;
        loop.interrupt();
        try {
            loop.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
        if (server == null) return;
        try {
            server.destroy();
        } catch (IllegalStateException slow) {
            // The mock server waits a few seconds for its open watches on a busy machine; what it has is thrown away either way.
        }
    }
}
