package dev.rollgate.cli;

import dev.rollgate.demo.DemoService;
import dev.rollgate.local.CrashLoopBackOff;
import dev.rollgate.local.Listeners;
import dev.rollgate.local.ServiceProxy;
import dev.rollgate.proxy.ProxyConfig;
import dev.rollgate.local.ProcessGroup;
import dev.rollgate.local.ProcessSet;
import dev.rollgate.local.ReplicaConfig;
import dev.rollgate.local.ReplicaLog;
import dev.rollgate.local.ReplicaStatus;
import dev.rollgate.local.WatchdogClient;
import dev.rollgate.spec.InvalidSpecException;
import dev.rollgate.spec.Rollout;
import dev.rollgate.spec.SpecParser;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code rollgate demo}: the embedded platform on real processes. Starts replicas of the demo
 * service with startup, readiness and liveness probes behind Rollgate's proxy, breaks one
 * replica's liveness under load so it is drained, killed and restarted, then stops everything by
 * the kubelet's termination order, and checks that no request failed and nothing is left running.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run replicas of the demo service behind the proxy, force a liveness restart under load, stop them gracefully; ends with a PASS/FAIL line.")
final class DemoCommand implements Callable<Integer> {

    static final int REPLICAS = 3;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("rollgate-demo-");
        Path specFile = dir.resolve("demo.yaml");
        Files.writeString(specFile, specYaml());
        out.println("demo: spec " + specFile + " (" + REPLICAS + " replicas of the demo service)");
        Rollout rollout;
        try {
            rollout = SpecParser.parseFile(specFile).getFirst();
        } catch (InvalidSpecException e) {
            out.println("demo: FAIL the generated spec is invalid: " + e.getMessage());
            return 1;
        }
        WatchdogClient watchdog = WatchdogClient.start();
        EventPrinter printer = new EventPrinter(out);
        ServiceProxy proxy = new ServiceProxy(0, "v1", ProxyConfig.defaults());
        var config = new ReplicaConfig(dir, dir.resolve("logs"), CrashLoopBackOff.KUBELET, ReplicaLog.DEFAULT_MAX_BYTES,
                new Listeners(printer, proxy), watchdog, proxy);
        ProcessSet set = new ProcessSet(rollout.name(), rollout.spec().template(), REPLICAS, config);
        StopSignal.onTerminate(() -> set.stop().join());
        out.println("demo: proxy on http://127.0.0.1:" + proxy.address().getPort() + " in front of the replicas");

        long t0 = System.nanoTime();
        set.start();
        boolean allReady = waitFor(Duration.ofSeconds(60), () -> set.statuses().stream().allMatch(ReplicaStatus::ready));
        double readySeconds = (System.nanoTime() - t0) / 1e9;
        out.printf("%n-- phase 1: %d/%d replicas ready after %.1fs (startup probe, then readiness twice in a row)%n%n",
                readyCount(set), REPLICAS, readySeconds);

        ReplicaStatus victim = set.statuses().getFirst();
        Load load = Load.start(URI.create("http://127.0.0.1:" + proxy.address().getPort() + "/"), 4, null, null);
        out.printf("-- phase 2: 4 clients send requests through the proxy; %s's liveness endpoint starts failing: it leaves traffic,%n"
                + "   is drained, killed, and restarted after the 10s back-off%n%n", victim.replica());
        boolean restarted = allReady && breakLiveness(victim.port())
                && waitFor(Duration.ofSeconds(60), () -> set.statuses().getFirst().restarts() == 1 && set.statuses().getFirst().ready());
        out.printf("%n-- phase 2: %s restarted %d time(s), new pid %d, ready again: %s%n%n", victim.replica(),
                set.statuses().getFirst().restarts(), set.statuses().getFirst().pid(), set.statuses().getFirst().ready());

        Load.Result traffic = load.stop();
        out.printf("-- load during phase 2: %d requests, %d non-2xx, %d socket errors, p50 %.1f ms, p99 %.1f ms%n%n",
                traffic.requests(), traffic.non2xx(), traffic.socketErrors(), traffic.millis(50), traffic.millis(99));
        List<Long> pids = set.statuses().stream().map(ReplicaStatus::pid).toList();
        out.println("-- phase 3: stopping every replica: out of traffic and drained, preStop (sleep 1s), SIGTERM, SIGKILL at the 5s grace deadline");
        out.println();
        long t1 = System.nanoTime();
        set.stop().get(60, TimeUnit.SECONDS);
        proxy.close();
        watchdog.close();
        double stopSeconds = (System.nanoTime() - t1) / 1e9;
        long leftovers = pids.stream().filter(pid -> !ProcessGroup.members(pid).isEmpty()).count();
        out.printf("%n-- phase 3: all replicas stopped in %.1fs; process groups left running: %d%n%n", stopSeconds, leftovers);

        boolean pass = allReady && restarted && leftovers == 0 && traffic.requests() > 0 && traffic.non2xx() == 0 && traffic.socketErrors() == 0;
        out.printf("demo: %s requests=%d non-2xx=%d socket-errors=%d liveness-restart=%s graceful-stop=%s leftover-processes=%d%n",
                pass ? "PASS" : "FAIL", traffic.requests(), traffic.non2xx(), traffic.socketErrors(), restarted ? "ok" : "missing",
                leftovers == 0 ? "ok" : "failed", leftovers);
        out.flush();
        return pass ? 0 : 1;
    }

    private static long readyCount(ProcessSet set) {
        return set.statuses().stream().filter(ReplicaStatus::ready).count();
    }

    private static boolean breakLiveness(int port) {
        try {
            var req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/control/live?value=false")).build();
            return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean waitFor(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) return true;
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }

    /** The demo's spec: the demo service started from this very jar with this very JVM. */
    static String specYaml() {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath = System.getProperty("java.class.path");
        return """
                apiVersion: rollgate.dev/v1alpha1
                kind: Rollout
                metadata: {name: demo}
                spec:
                  replicas: %d
                  template:
                    version: v1
                    command: ['%s', -XX:TieredStopAtLevel=1, -XX:+UseSerialGC, -Xmx64m, -cp, '%s', %s,
                              --version, v1, --startup-delay, 2s]
                    startupProbe:   {httpGet: {path: /health/started}, periodSeconds: 1, failureThreshold: 30}
                    readinessProbe: {httpGet: {path: /health/ready}, periodSeconds: 1, successThreshold: 2}
                    livenessProbe:  {httpGet: {path: /health/live}, periodSeconds: 1, failureThreshold: 2}
                    lifecycle: {preStop: {sleep: {seconds: 1}}}
                    terminationGracePeriodSeconds: 5
                """.formatted(REPLICAS, java, classPath, DemoService.class.getName());
    }
}
