package dev.rollgate.cli;

import dev.rollgate.kubernetes.RolloutOperator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rollgate operator}: the Rollout controller on a Kubernetes cluster. */
@Command(name = "operator", mixinStandardHelpOptions = true,
        description = {"Run Rollouts on a Kubernetes cluster, from inside it or from a laptop.",
                "In the cluster it runs as deploy/operator.yaml with its ServiceAccount; from a laptop, with a kubeconfig. Probes and Prometheus metrics on --port (/healthz, /readyz, /metrics)."})
final class OperatorCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "The kubeconfig (default: in-cluster, $KUBECONFIG or ~/.kube/config).")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "The kubeconfig context (default: its current one).")
    String context;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Watch only this namespace (default: all).")
    String namespace;

    @Option(names = "--leader-election-namespace", paramLabel = "NS",
            description = "Elect one active operator among replicas with a Lease here (default: $POD_NAMESPACE; none outside a cluster).")
    String leaseNamespace;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8081", description = "Probes and metrics (default ${DEFAULT-VALUE}; 0: any free port).")
    int port;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) throw new CliException("--port: between 0 and 65535, got " + port);
        PrintWriter out = spec.commandLine().getOut();
        String lease = leaseNamespace != null ? leaseNamespace : System.getenv("POD_NAMESPACE");
        var client = Clusters.client(kubeconfig, context);
        RolloutOperator operator;
        try {
            operator = RolloutOperator.start(client, new RolloutOperator.Options(namespace, lease, port));
        } catch (IllegalStateException e) {
            throw new CliException(e.getMessage()); // the preflight's words: what the cluster lacks, and what to do
        } catch (RuntimeException e) {
            throw new CliException("the operator could not start against " + client.getMasterUrl() + ": " + e.getMessage());
        }
        out.printf("rollgate operator: watching Rollouts in %s of %s; probes and metrics on port %d%s%n",
                namespace == null ? "every namespace" : "namespace " + namespace, client.getMasterUrl(), operator.port(),
                lease == null ? "" : "; leader election in namespace " + lease);
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        StopSignal.onTerminate(() -> {
            operator.close();
            stopped.countDown();
        });
        stopped.await();
        return 0;
    }
}
