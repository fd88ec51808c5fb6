package dev.rollgate.kubernetes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * {@code rollgate operator}: the Java Operator SDK running {@link RolloutReconciler} with a
 * finalizer on every Rollout, leader election over a Lease (one active operator among replicas),
 * and a small HTTP server for the probes ({@code /healthz}, {@code /readyz}) and Prometheus
 * ({@code /metrics}).
 */
public final class RolloutOperator implements AutoCloseable {

    /**
     * @param namespace       the one namespace to watch, or null for all
     * @param leaseNamespace  where the leader-election Lease lives (null: no leader election)
     * @param port            the probes' and metrics' port (0: any free port)
     * @param identity        this operator's name in the Lease (null: $HOSTNAME, the pod's name)
     * @param exitOnLostLease whether a leader that loses its Lease ends the process (so that the
     *                        kubelet restarts it as a follower, and two never reconcile at once)
     */
    public record Options(String namespace, String leaseNamespace, int port, String identity, boolean exitOnLostLease) {
        public Options(String namespace, String leaseNamespace, int port) {
            this(namespace, leaseNamespace, port, null, true);
        }
    }

    /** The leader-election Lease's name, in {@link Options#leaseNamespace}. */
    public static final String LEASE = "rollgate-operator";

    private final Operator operator;
    private final RolloutReconciler reconciler;
    private final HttpServer http;
    private volatile boolean started;

    private RolloutOperator(Operator operator, RolloutReconciler reconciler, HttpServer http) {
        this.operator = operator;
        this.reconciler = reconciler;
        this.http = http;
    }

    public static RolloutOperator start(KubernetesClient client, Options o) throws IOException {
        Preflight.check(client, o.namespace());
        Operator operator = new Operator(ov -> {
            ov.withKubernetesClient(client).withCloseClientOnStop(false).withStopOnInformerErrorDuringStartup(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withCacheSyncTimeout(Duration.ofSeconds(30));
            if (o.leaseNamespace() != null) {
                ov.withLeaderElectionConfiguration(new LeaderElectionConfiguration(LEASE, o.leaseNamespace(),
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE, LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, o.identity(), null, o.exitOnLostLease()));
            }
        });
        RolloutReconciler reconciler = new RolloutReconciler(client);
        operator.register(reconciler, c -> {
            c.withName("rollout").withReconciliationMaxInterval(RolloutReconciler.RESYNC.multipliedBy(30));
            if (o.namespace() != null) c.settingNamespace(o.namespace());
            else c.watchingAllNamespaces();
        });
        HttpServer http = HttpServer.create(new InetSocketAddress(o.port()), 16);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        RolloutOperator self = new RolloutOperator(operator, reconciler, http);
        http.createContext("/healthz", ex -> answer(ex, 200, "ok\n"));
        http.createContext("/readyz", ex -> answer(ex, self.started ? 200 : 503, self.started ? "ok\n" : "starting\n"));
        http.createContext("/metrics", ex -> answer(ex, 200, self.metrics()));
        http.start();
        operator.start();
        self.started = true;
        return self;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** Passes of the controller so far (a test waits for a few to see that nothing moved). */
    long passes() {
        return reconciler.passes.get();
    }

    /** Prometheus text: passes, failed passes, Rollouts this operator runs. */
    String metrics() {
        return "# HELP rollgate_operator_reconciles_total Passes of the controller.\n# TYPE rollgate_operator_reconciles_total counter\n"
                + "rollgate_operator_reconciles_total " + reconciler.passes.get() + "\n"
                + "# HELP rollgate_operator_reconcile_failures_total Passes that failed.\n# TYPE rollgate_operator_reconcile_failures_total counter\n"
                + "rollgate_operator_reconcile_failures_total " + reconciler.failures.get() + "\n"
                + "# HELP rollgate_operator_rollouts Rollouts this operator runs.\n# TYPE rollgate_operator_rollouts gauge\n"
                + "rollgate_operator_rollouts " + reconciler.rollouts() + "\n"
                + rollouts(reconciler.standing());
    }

    /** The daemon's two rollout series, labelled by namespace and Rollout (as service) instead of service alone. */
    private static String rollouts(Map<ResourceID, RolloutReconciler.Standing> standing) {
        StringBuilder b = new StringBuilder("# HELP rollgate_rollout_revision The current revision of each Rollout.\n"
                + "# TYPE rollgate_rollout_revision gauge\n");
        standing.forEach((id, s) -> b.append("rollgate_rollout_revision{namespace=\"").append(id.getNamespace().orElse(""))
                .append("\",service=\"").append(id.getName()).append("\"} ").append(s.revision()).append('\n'));
        b.append("# HELP rollgate_rollout_phase The phase of each Rollout (1 for the current one).\n# TYPE rollgate_rollout_phase gauge\n");
        standing.forEach((id, s) -> b.append("rollgate_rollout_phase{namespace=\"").append(id.getNamespace().orElse(""))
                .append("\",service=\"").append(id.getName()).append("\",phase=\"").append(s.phase()).append("\"} 1\n"));
        return b.toString();
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, b.length);
        try (var out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        started = false;
        operator.stop();
        http.stop(0);
    }
}
