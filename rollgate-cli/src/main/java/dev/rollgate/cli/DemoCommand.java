package dev.rollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.demo.DemoService;
import dev.rollgate.local.ProcessGroup;
import dev.rollgate.local.daemon.Daemon;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code rollgate demo}: Rollgate's main job on real processes. A daemon in a temporary
 * directory runs 4 replicas of the demo service behind its proxy; under continuous load it rolls
 * to v2 (replicas that take seconds to start), then to v3 (never ready), which the progress
 * deadline aborts and rolls back, then canaries v4 (5 % errors) at 10 % of the traffic with error
 * masking on, which the canary judge aborts; then it reports every phase and checks that no
 * request failed.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Deploy 4 replicas of the demo service, roll to v2 under load, then to v3 which never becomes ready and is",
                "rolled back at its progress deadline, then canary v4 (5% errors) at 10% of the traffic until the analysis aborts it;",
                "report per phase, and end with a PASS/FAIL line.",
                "'rollgate demo migrations' plays expand / contract migrations on a real PostgreSQL."},
        subcommands = {MigrationsDemo.class})
final class DemoCommand implements Callable<Integer> {

    static final int REPLICAS = 4;
    static final int V2_STARTUP_SECONDS = 3;
    static final int MIN_READY_SECONDS = 1;
    static final int PROGRESS_DEADLINE_SECONDS = 10;
    static final double V4_ERROR_RATE = 0.05;
    static final int CANARY_WEIGHT = 10;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final Set<Long> pids = ConcurrentHashMap.newKeySet();

    /** What one phase of the demo measured. */
    record Phase(String name, Load.Result load, double seconds) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("rollgate-demo-");
        int port = freePort();
        Daemon daemon = Daemon.open(dir.resolve("state"), 0);
        StopSignal.onTerminate(() -> daemon.shutdown().join());
        DaemonClient client = DaemonClient.connect(dir.resolve("state"));
        out.printf("demo: daemon in %s (admin API on 127.0.0.1:%d); the service's proxy on http://127.0.0.1:%d%n",
                dir.resolve("state"), daemon.adminPort(), port);
        out.printf("demo: watch it live at http://127.0.0.1:%d/ui/ (log in with the token in %s)%n%n",
                daemon.adminPort(), dev.rollgate.local.daemon.DaemonFiles.tokenFile(dir.resolve("state")));
        out.flush();
        List<Phase> phases = new ArrayList<>();
        boolean rollback = false;
        boolean v2Complete = false;
        double v2Seconds = Double.NaN;
        double formula = Double.NaN;
        try {
            apply(client, dir, port, "v1", "--startup-delay", "1s");
            out.printf("-- v1: %d replicas, maxSurge 1, maxUnavailable 0, minReadySeconds %d, progressDeadlineSeconds %d (abort on)%n",
                    REPLICAS, MIN_READY_SECONDS, PROGRESS_DEADLINE_SECONDS);
            boolean v1 = watch(out, client, s -> s.path("phase").asText().equals("Complete"), 90);
            if (!v1) throw new IllegalStateException("v1 did not become available");

            URI uri = URI.create("http://127.0.0.1:" + port + "/");
            Load load = Load.start(uri, 4, null, null);
            out.printf("%n-- phase 1: 4 clients send requests through the proxy; rolling to v2 (each replica takes %ds to start)%n", V2_STARTUP_SECONDS);
            long t0 = System.nanoTime();
            long before = lastEventId(client);
            apply(client, dir, port, "v2", "--startup-delay", V2_STARTUP_SECONDS + "s");
            v2Complete = watch(out, client, s -> s.path("phase").asText().equals("Complete") && s.path("status").path("version").asText().equals("v2"), 120);
            v2Seconds = (System.nanoTime() - t0) / 1e9;
            phases.add(new Phase("rolling update v1 -> v2", load.stop(), v2Seconds));
            double startup = meanStartupSeconds(client, before);
            formula = Math.ceil(REPLICAS / 1.0) * (startup + 0 + MIN_READY_SECONDS);
            out.printf("%n   rollout took %.1fs; seed formula ceil(N/batch) x (T_startup + T_readiness + T_minReady) = ceil(%d/1) x (%.2f + 0 + %d) = %.1fs"
                    + " -> measured / formula = %.2f%n", v2Seconds, REPLICAS, startup, MIN_READY_SECONDS, formula, v2Seconds / formula);
            out.println("   (T_startup measured: process start to startup probe success, mean of the v2 replicas; readiness follows at once)");

            load = Load.start(uri, 4, null, null);
            out.printf("%n-- phase 2: rolling to v3, which never becomes ready; the progress deadline (%ds) aborts it and rolls back to v2%n",
                    PROGRESS_DEADLINE_SECONDS);
            long t1 = System.nanoTime();
            apply(client, dir, port, "v3", "--never-ready");
            boolean aborted = watch(out, client, s -> s.path("phase").asText().equals("RolledBack"), 120);
            phases.add(new Phase("v3 never ready, aborted, rolled back", load.stop(), (System.nanoTime() - t1) / 1e9));
            JsonNode s = client.get("/v1/services/demo");
            rollback = aborted && s.path("status").path("version").asText().equals("v2") && s.path("status").path("available").asInt() == REPLICAS
                    && s.path("status").path("abortedRevision").asInt() > 0;
            out.printf("%n   %s%n", s.path("status").path("abortMessage").asText("no abort recorded"));

            load = Load.start(uri, 4, null, null);
            out.printf("%n-- phase 3: canary v4, which fails %.0f%% of its requests, gets %d%% of the traffic; the canary judge (a sequential%n"
                    + "   test of its errors against v2's) aborts it; error masking retries its failures on v2, so clients see none%n",
                    V4_ERROR_RATE * 100, CANARY_WEIGHT);
            long t2 = System.nanoTime();
            client.post("/v1/apply", Map.of("document", specYaml(port, "v4", true, "--error-rate", Double.toString(V4_ERROR_RATE)),
                    "baseDir", dir.toString(), "source", "demo-v4.yaml"));
            boolean canaryAborted = watch(out, client, x -> x.path("phase").asText().equals("Aborted"), 120);
            phases.add(new Phase("canary v4 (5% errors) aborted", load.stop(), (System.nanoTime() - t2) / 1e9));
            JsonNode c = client.get("/v1/services/demo");
            JsonNode prog = c.path("status").path("progressive");
            String stable = prog.path("state").path("stableHash").asText();
            canaryAborted = canaryAborted && prog.path("weights").path(stable).asInt() == 100 && prog.path("weights").size() == 1;
            out.printf("%n   %s%n", prog.path("state").path("abortMessage").asText("no abort recorded"));
            for (JsonNode run : prog.path("analysis")) {
                for (JsonNode m : run.path("metrics")) {
                    out.printf("   analysis %s: %s %s after %d measurements; last: %s%n", run.path("key").asText(), m.path("name").asText(),
                            m.path("phase").asText(), m.path("count").asInt(), m.path("lastValue").asText());
                }
            }
            rollback = rollback && canaryAborted;

            out.println();
            out.println("-- report");
            List<List<String>> rows = new ArrayList<>();
            for (Phase p : phases) {
                rows.add(List.of(p.name(), String.format("%.1fs", p.seconds()), Long.toString(p.load().requests()), Long.toString(p.load().non2xx()),
                        Long.toString(p.load().socketErrors()), String.format("%.1f ms", p.load().millis(50)), String.format("%.1f ms", p.load().millis(99))));
            }
            Output.table(out, List.of("PHASE", "TIME", "REQUESTS", "NON-2XX", "SOCKET-ERRORS", "P50", "P99"), rows, "   ");
            out.println();
            out.println("-- timeline (rollout events)");
            timeline(out, client);
        } finally {
            out.println();
            out.println("-- stopping: every replica leaves traffic, is drained, gets SIGTERM; then the daemon exits");
            out.flush();
            collectPids(client);
            daemon.shutdown().get(120, TimeUnit.SECONDS);
        }
        long leftovers = pids.stream().filter(pid -> !ProcessGroup.members(pid).isEmpty()).count();
        long requests = phases.stream().mapToLong(p -> p.load().requests()).sum();
        long non2xx = phases.stream().mapToLong(p -> p.load().non2xx()).sum();
        long socket = phases.stream().mapToLong(p -> p.load().socketErrors()).sum();
        out.printf("   %d replica process(es) seen, %d left running%n%n", pids.size(), leftovers);
        boolean pass = v2Complete && rollback && leftovers == 0 && requests > 0 && non2xx == 0 && socket == 0;
        out.printf("demo: %s requests=%d non-2xx=%d socket-errors=%d rollback=%s%n", pass ? "PASS" : "FAIL", requests, non2xx, socket,
                rollback ? "ok" : "missing");
        out.flush();
        return pass ? 0 : 1;
    }

    private void apply(DaemonClient client, Path dir, int port, String version, String... args) {
        client.post("/v1/apply", Map.of("document", specYaml(port, version, false, args), "baseDir", dir.toString(),
                "source", "demo-" + version + ".yaml"));
    }

    private boolean watch(PrintWriter out, DaemonClient client, Predicate<JsonNode> done, int seconds) throws InterruptedException {
        return RolloutWatch.until(out, client, "demo", done, seconds, pids);
    }

    private void collectPids(DaemonClient client) {
        try {
            client.get("/v1/services/demo").path("replicas").forEach(r -> pids.add(r.path("pid").asLong()));
        } catch (CliException e) {
            // nothing applied yet
        }
    }

    private static long lastEventId(DaemonClient client) {
        JsonNode events = client.get("/v1/services/demo/events?limit=1");
        return events.size() == 0 ? 0 : events.get(0).path("id").asLong();
    }

    /** Mean time from process start to startup-probe success of the replicas started after event {@code after}. */
    static double meanStartupSeconds(DaemonClient client, long after) {
        JsonNode events = client.get("/v1/services/demo/events?after=" + after + "&limit=10000");
        Map<String, Instant> started = new HashMap<>();
        List<Double> took = new ArrayList<>();
        for (JsonNode e : events) {
            String reason = e.path("reason").asText();
            String message = e.path("message").asText();
            if (!reason.equals("Started")) continue;
            Instant at = Instant.parse(e.path("time").asText());
            if (message.startsWith("started pid")) started.put(e.path("object").asText(), at);
            else if (message.startsWith("startup probe succeeded") && started.containsKey(e.path("object").asText())) {
                took.add(Duration.between(started.get(e.path("object").asText()), at).toMillis() / 1000.0);
            }
        }
        return took.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static void timeline(PrintWriter out, DaemonClient client) {
        Set<String> markers = Set.of("Applied", "RolloutStarted", "ScalingReplicaSet", "ProgressDeadlineExceeded", "RolloutAborted",
                "RolloutCompleted", "NewReplicaSetAvailable", "StepCompleted", "AnalysisFailed");
        JsonNode events = client.get("/v1/services/demo/events?limit=10000");
        Instant first = null;
        for (JsonNode e : events) {
            if (!markers.contains(e.path("reason").asText())) continue;
            Instant at = Instant.parse(e.path("time").asText());
            if (first == null) first = at;
            out.printf("   +%6.1fs  %-8s %-25s %s%n", Duration.between(first, at).toMillis() / 1000.0, e.path("type").asText(),
                    e.path("reason").asText(), e.path("message").asText());
        }
    }

    static int freePort() throws java.io.IOException {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * The demo's spec: the demo service started from this very jar with this very JVM. With
     * {@code canary}: error masking on, and a canary at 10 % judged against stable by an AnalysisTemplate.
     */
    static String specYaml(int port, String version, boolean canary, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath = System.getProperty("java.class.path");
        StringBuilder extra = new StringBuilder();
        for (String a : args) extra.append(", '").append(a).append("'");
        String strategy = !canary ? "  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}\n" : """
                  strategy:
                    canary:
                      abortScaleDownDelaySeconds: 2
                      analysis: {templates: [{templateName: canary-judge}], startingStep: 1}
                      steps: [{setWeight: %d}, {pause: {duration: 60s}}, {setWeight: 50}, {pause: {duration: 30s}}]
                """.formatted(CANARY_WEIGHT);
        String judge = !canary ? "" : """
                ---
                apiVersion: rollgate.dev/v1alpha1
                kind: AnalysisTemplate
                metadata: {name: canary-judge}
                spec:
                  metrics:
                  - name: errors-vs-stable
                    interval: 1s
                    provider: {judge: {metric: errorRate}}
                """;
        return """
                apiVersion: rollgate.dev/v1alpha1
                kind: Rollout
                metadata: {name: demo}
                spec:
                  replicas: %d
                  minReadySeconds: %d
                  progressDeadlineSeconds: %d
                  progressDeadlineAbort: true
                  service: {port: %d, errorMasking: %s}
                %s  template:
                    version: %s
                    command: ['%s', -XX:TieredStopAtLevel=1, -XX:+UseSerialGC, -Xmx64m, -Xss512k, -cp, '%s', %s, --version, %s%s]
                    startupProbe:   {httpGet: {path: /health/started}, periodSeconds: 1, timeoutSeconds: 5, failureThreshold: 60}
                    readinessProbe: {httpGet: {path: /health/ready}, periodSeconds: 1, timeoutSeconds: 5}
                    livenessProbe:  {httpGet: {path: /health/live}, periodSeconds: 5, timeoutSeconds: 5}
                    lifecycle: {preStop: {sleep: {seconds: 1}}}
                    terminationGracePeriodSeconds: 10
                """.formatted(REPLICAS, MIN_READY_SECONDS, PROGRESS_DEADLINE_SECONDS, port, canary, strategy, version, java, classPath,
                DemoService.class.getName(), version, extra) + judge;
    }
}
