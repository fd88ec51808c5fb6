package dev.rollgate.cli;

import dev.rollgate.local.store.Store;
import dev.rollgate.view.EventRow;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The end of {@code rollgate demo}: a table per phase, the timeline of rollout events, and the PASS / FAIL line. */
final class DemoReport {

    private static final Set<String> MARKERS = Set.of("Applied", "RolloutStarted", "ScalingReplicaSet", "ProgressDeadlineExceeded",
            "RolloutAborted", "RolloutCompleted", "NewReplicaSetAvailable", "StepCompleted", "AnalysisFailed");

    private DemoReport() {}

    static void phases(PrintWriter out, List<DemoScenario.Phase> phases) {
        List<List<String>> rows = new ArrayList<>();
        for (DemoScenario.Phase p : phases) {
            rows.add(List.of(p.name(), String.format(Locale.ROOT, "%.1fs", p.seconds()), Long.toString(p.load().requests()),
                    Long.toString(p.load().non2xx()), Long.toString(p.load().socketErrors()),
                    String.format(Locale.ROOT, "%.1f ms", p.load().millis(50)), String.format(Locale.ROOT, "%.1f ms", p.load().millis(99))));
        }
        Output.table(out, List.of("PHASE", "TIME", "REQUESTS", "NON-2XX", "SOCKET-ERRORS", "P50", "P99"), rows, "   ");
    }

    static void timeline(PrintWriter out, List<EventRow> events) {
        Instant first = null;
        for (EventRow e : events) {
            if (!MARKERS.contains(e.reason())) continue;
            if (first == null) first = e.time();
            out.printf("   +%6.1fs  %-8s %-25s %s%n", Duration.between(first, e.time()).toMillis() / 1000.0, e.type(), e.reason(), e.message());
        }
    }

    /** The verdict: v2 complete, v3 rolled back, v4 aborted, no replica left, requests served and none failed. */
    static boolean verdict(PrintWriter out, DemoScenario.Result result, List<DemoScenario.Phase> phases, Set<Long> pids, long leftovers) {
        long requests = phases.stream().mapToLong(p -> p.load().requests()).sum();
        long non2xx = phases.stream().mapToLong(p -> p.load().non2xx()).sum();
        long socket = phases.stream().mapToLong(p -> p.load().socketErrors()).sum();
        boolean rollback = result != null && result.rolledBack() && result.canaryAborted();
        out.printf("   %d replica process(es) seen, %d left running%n%n", pids.size(), leftovers);
        boolean pass = result != null && result.v2Complete() && rollback && leftovers == 0 && requests > 0 && non2xx == 0 && socket == 0;
        out.printf("demo: %s requests=%d non-2xx=%d socket-errors=%d rollback=%s%n", pass ? "PASS" : "FAIL", requests, non2xx, socket,
                rollback ? "ok" : "missing");
        return pass;
    }
}
