package dev.rollgate.cli;

import static dev.rollgate.cli.DemoSpecs.CANARY_WEIGHT;
import static dev.rollgate.cli.DemoSpecs.MIN_READY_SECONDS;
import static dev.rollgate.cli.DemoSpecs.PROGRESS_DEADLINE_SECONDS;
import static dev.rollgate.cli.DemoSpecs.REPLICAS;
import static dev.rollgate.cli.DemoSpecs.V2_STARTUP_SECONDS;
import static dev.rollgate.cli.DemoSpecs.V4_ERROR_RATE;

import dev.rollgate.analysis.AnalysisRunView;
import dev.rollgate.controller.RolloutStatus;
import dev.rollgate.load.Load;
import dev.rollgate.local.daemon.Daemon;
import dev.rollgate.local.store.Store;
import dev.rollgate.view.EventRow;
import dev.rollgate.view.HistoryEntry;
import dev.rollgate.view.ServiceView;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The demo's three phases against a running daemon, under load: v1 -> v2 (slow starts), v3 (never
 * ready: rolled back at its deadline), canary v4 (errors: aborted by the judge). Prints each
 * rollout's progress as it goes and returns what it measured.
 */
final class DemoScenario {

    /** What one phase of the demo measured. */
    record Phase(String name, Load.Result load, double seconds) {}

    /**
     * Everything the report needs: the phases, how long v2 took against the planner's formula ({@code RolloutPlan}),
     * whether the rollback and the canary abort happened as they should, and every replica pid seen.
     */
    record Result(List<Phase> phases, boolean v2Complete, double v2Seconds, double startupSeconds, double formulaSeconds,
                  boolean rolledBack, String rollbackMessage, boolean canaryAborted, String canaryMessage, List<AnalysisRunView> analysis,
                  Set<Long> pids) {}

    /** What the demo applies for a version: the demo service as processes, or its images as containers. */
    interface Specs {
        String yaml(String version, boolean canary, String... args);
    }

    private final DaemonClient client;
    private final Path dir;
    private final int port;
    private final Specs specs;
    private final String path;
    private final PrintWriter out;
    private final Set<Long> pids = ConcurrentHashMap.newKeySet();
    private final List<Phase> phases = new ArrayList<>();

    /** {@code path}: what the clients ask for. */
    DemoScenario(DaemonClient client, Path dir, int port, PrintWriter out, Specs specs, String path) {
        this.client = client;
        this.dir = dir;
        this.port = port;
        this.out = out;
        this.specs = specs;
        this.path = path;
    }

    /** The replica pids seen so far, also when a phase failed half-way. */
    Set<Long> pids() {
        collectPids();
        return pids;
    }

    List<Phase> phases() {
        return phases;
    }

    Result run() throws InterruptedException {
        apply("v1", false, "--startup-delay", "1s");
        out.printf("-- v1: %d replicas, maxSurge 1, maxUnavailable 0, minReadySeconds %d, progressDeadlineSeconds %d (abort on)%n",
                REPLICAS, MIN_READY_SECONDS, PROGRESS_DEADLINE_SECONDS);
        if (!watch(s -> s.phase().equals("Complete"), 90)) throw new IllegalStateException("v1 did not become available");

        URI uri = URI.create("http://127.0.0.1:" + port + path);
        Load load = Load.start(uri, 4, null, null);
        out.printf("%n-- phase 1: 4 clients send requests through the proxy; rolling to v2 (each replica takes %ds to start)%n", V2_STARTUP_SECONDS);
        long t0 = System.nanoTime();
        long before = lastEventId();
        apply("v2", false, "--startup-delay", V2_STARTUP_SECONDS + "s");
        boolean v2Complete = watch(s -> s.phase().equals("Complete") && "v2".equals(s.status().version()), 120);
        double v2Seconds = (System.nanoTime() - t0) / 1e9;
        phases.add(new Phase("rolling update v1 -> v2", load.stop(), v2Seconds));
        double startup = meanStartupSeconds(before);
        double formula = Math.ceil(REPLICAS / 1.0) * (startup + 0 + MIN_READY_SECONDS);
        out.printf("%n   rollout took %.1fs; seed formula ceil(N/batch) x (T_startup + T_readiness + T_minReady) = ceil(%d/1) x (%.2f + 0 + %d) = %.1fs"
                + " -> measured / formula = %.2f%n", v2Seconds, REPLICAS, startup, MIN_READY_SECONDS, formula, v2Seconds / formula);
        out.println("   (T_startup measured: process start to startup probe success, mean of the v2 replicas; readiness follows at once)");

        load = Load.start(uri, 4, null, null);
        out.printf("%n-- phase 2: rolling to v3, which never becomes ready; the progress deadline (%ds) aborts it and rolls back to v2%n",
                PROGRESS_DEADLINE_SECONDS);
        long t1 = System.nanoTime();
        apply("v3", false, "--never-ready");
        boolean aborted = watch(s -> s.phase().equals("RolledBack"), 120);
        phases.add(new Phase("v3 never ready, aborted, rolled back", load.stop(), (System.nanoTime() - t1) / 1e9));
        RolloutStatus s = service().status();
        boolean rolledBack = aborted && "v2".equals(s.version()) && s.available() == REPLICAS && s.abortedRevision() > 0;
        String rollbackMessage = s.abortMessage() == null ? "no abort recorded" : s.abortMessage();
        out.printf("%n   %s%n", rollbackMessage);

        load = Load.start(uri, 4, null, null);
        out.printf("%n-- phase 3: canary v4, which fails %.0f%% of its requests, gets %d%% of the traffic; the canary judge (a sequential%n"
                + "   test of its errors against v2's) aborts it; error masking retries its failures on v2, so clients see none%n",
                V4_ERROR_RATE * 100, CANARY_WEIGHT);
        long t2 = System.nanoTime();
        apply("v4", true, "--error-rate", Double.toString(V4_ERROR_RATE));
        boolean canaryAborted = watch(x -> x.phase().equals("Aborted"), 120);
        phases.add(new Phase("canary v4 (5% errors) aborted", load.stop(), (System.nanoTime() - t2) / 1e9));
        RolloutStatus.Progressive prog = service().status().progressive();
        String stable = prog == null ? null : prog.state().stableHash();
        canaryAborted = canaryAborted && prog != null && prog.weights().getOrDefault(stable, 0) == 100 && prog.weights().size() == 1;
        String canaryMessage = prog == null || prog.state().abortMessage() == null ? "no abort recorded" : prog.state().abortMessage();
        out.printf("%n   %s%n", canaryMessage);
        List<AnalysisRunView> analysis = prog == null || prog.analysis() == null ? List.of() : prog.analysis();
        for (AnalysisRunView run : analysis) {
            for (AnalysisRunView.Metric m : run.metrics()) {
                out.printf("   analysis %s: %s %s after %d measurements; last: %s%n", run.key(), m.name(), m.phase(), m.count(), m.lastValue());
            }
        }
        return new Result(phases, v2Complete, v2Seconds, startup, formula, rolledBack, rollbackMessage, canaryAborted, canaryMessage,
                analysis, pids());
    }

    /** The service's events that mark the rollouts, oldest first. */
    List<EventRow> events() {
        return client.getList("/v1/services/demo/events?limit=10000", EventRow.class);
    }

    private void apply(String version, boolean canary, String... args) {
        client.post("/v1/apply", Map.of("document", specs.yaml(version, canary, args), "baseDir", dir.toString(),
                "source", "demo-" + version + ".yaml"));
    }

    private ServiceView service() {
        return client.get("/v1/services/demo", ServiceView.class);
    }

    private boolean watch(Predicate<ServiceView> done, int seconds) throws InterruptedException {
        return RolloutWatch.until(out, client, "demo", done, seconds, pids);
    }

    private void collectPids() {
        try {
            service().replicas().forEach(r -> pids.add(r.pid()));
        } catch (CliException e) {
            // nothing applied yet
        }
    }

    private long lastEventId() {
        List<EventRow> last = client.getList("/v1/services/demo/events?limit=1", EventRow.class);
        return last.isEmpty() ? 0 : last.getFirst().id();
    }

    /** The image each revision ran, oldest first ({@code rollout history}); empty for processes. */
    List<String> images() {
        List<String> out = new ArrayList<>();
        for (var h : client.getList("/v1/services/demo/history", HistoryEntry.class)) {
            if (h.image() != null) out.add("revision " + h.revision() + " (" + h.version() + "): " + h.image());
        }
        return out;
    }

    /** Mean time from process start to startup-probe success of the replicas started after event {@code after}. */
    private double meanStartupSeconds(long after) {
        Map<String, Instant> started = new HashMap<>();
        List<Double> took = new ArrayList<>();
        for (EventRow e : client.getList("/v1/services/demo/events?after=" + after + "&limit=10000", EventRow.class)) {
            if (!e.reason().equals("Started")) continue;
            if (e.message().startsWith("started pid") || e.message().startsWith("started container")) started.put(e.object(), e.time());
            else if (e.message().startsWith("startup probe succeeded") && started.containsKey(e.object())) {
                took.add(Duration.between(started.get(e.object()), e.time()).toMillis() / 1000.0);
            }
        }
        return took.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
