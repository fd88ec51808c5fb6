package dev.rollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.analysis.AnalysisRunView;
import dev.rollgate.controller.RolloutStatus;
import dev.rollgate.controller.Verb;
import dev.rollgate.local.daemon.Daemon;
import dev.rollgate.rollout.Condition;
import dev.rollgate.spec.Durations;
import dev.rollgate.view.HistoryEntry;
import dev.rollgate.view.ServiceView;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rollgate rollout ...}: watch and steer a service's rollouts, as {@code kubectl rollout}. */
@Command(name = "rollout", mixinStandardHelpOptions = true,
        description = "Watch and steer rollouts: status, history, undo, pause, resume, restart, promote, abort, retry.",
        subcommands = {RolloutCommand.Status.class, RolloutCommand.History.class, RolloutCommand.Undo.class,
                RolloutCommand.Pause.class, RolloutCommand.Resume.class, RolloutCommand.Restart.class,
                RolloutCommand.Promote.class, RolloutCommand.Abort.class, RolloutCommand.Retry.class})
final class RolloutCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new CliException("rollout: say what to do: status, history, undo, pause, resume, restart, promote, abort or retry (rollgate rollout --help)");
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Show the rollout's progress; with --watch, follow it until it completes (exit 0), fails or is aborted (exit 1).",
                    "Aborted includes an automatic rollback after the progress deadline (progressDeadlineAbort)."})
    static final class Status extends ServiceCommand {

        @Option(names = {"-w", "--watch"}, description = "Follow the rollout until it completes, fails or is aborted.")
        boolean watch;

        @Option(names = "--timeout", paramLabel = "DURATION", description = "With --watch: give up (exit 1) after this long, e.g. 90s or 5m.")
        String timeout;

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = out();
            Duration limit = null;
            if (timeout != null) {
                limit = Durations.parse(timeout).orElseThrow(() ->
                        new CliException("--timeout: '" + timeout + "' is not a duration; use e.g. 90s, 5m or 1m30s"));
            }
            long end = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
            ServiceView s = DaemonClient.as(daemon.target().service(name), ServiceView.class);
            int watched = s.status().revision();
            String lastLine = null;
            while (true) {
                RolloutStatus st = s.status();
                boolean observed = st.observedGeneration() >= s.generation();
                String phase = s.phase();
                String line = progressLine(s);
                if (!line.equals(lastLine)) {
                    out.println(line);
                    out.flush();
                    lastLine = line;
                }
                if (observed) {
                    int aborted = st.abortedRevision();
                    String error = null;
                    if (aborted > 0 && (aborted >= watched || phase.equals("RolledBack"))) {
                        error = "rollout of " + name + " aborted: " + st.abortMessage();
                    } else if (phase.equals("Aborted")) {
                        error = "rollout of " + name + " aborted: " + st.progressive().state().abortMessage();
                    } else if (phase.equals("Failed")) {
                        error = name + " revision " + st.revision() + " exceeded its progress deadline";
                    } else if (phase.equals("Complete")) {
                        out.println("service " + name + " successfully rolled out (revision " + st.revision()
                                + (st.version() == null ? "" : ", " + st.version()) + ")");
                        out.flush();
                        return 0;
                    }
                    if (error != null) {
                        out.println("error: " + error);
                        out.flush();
                        return 1;
                    }
                }
                if (!watch) return 0;
                if (System.nanoTime() > end) {
                    out.println("error: timed out after " + timeout + " waiting for " + name + " to roll out");
                    out.flush();
                    return 1;
                }
                Thread.sleep(200);
                s = DaemonClient.as(daemon.target().service(name), ServiceView.class);
            }
        }

        static String progressLine(ServiceView s) {
            RolloutStatus st = s.status();
            Condition p = st.progressing();
            RolloutStatus.Progressive prog = st.progressive();
            StringBuilder runs = new StringBuilder();
            if (prog != null && prog.analysis() != null) {
                for (AnalysisRunView run : prog.analysis()) {
                    // Only runs still measuring: finished ones (kept for describe) may belong to an earlier attempt.
                    if (!run.phase().completed()) runs.append(" · analysis ").append(run.key()).append(' ').append(run.phase());
                }
            }
            String steps = prog == null ? "" : " · " + prog.step() + " · " + Weights.describe(s) + runs;
            return s.name() + " revision " + st.revision() + (st.version() == null ? "" : " (" + st.version() + ")") + ": "
                    + st.updated() + "/" + st.desired() + " updated, " + st.ready() + " ready, " + st.available() + "/" + st.desired()
                    + " available, " + st.replicas() + " total · " + s.phase() + (p == null ? "" : " (" + p.reason() + ")") + steps;
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "List the revisions kept for rollback.")
    static final class History extends ServiceCommand {

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "json or yaml: print the revisions as data.")
        String output;

        @Override
        public Integer call() {
            PrintWriter out = out();
            JsonNode data = daemon.target().history(name);
            if (Output.data(out, output, data)) return 0;
            List<List<String>> rows = new ArrayList<>();
            List<HistoryEntry> entries = DaemonClient.asList(data, HistoryEntry.class);
            boolean images = entries.stream().anyMatch(r -> r.image() != null);
            boolean sources = entries.stream().anyMatch(r -> r.sources() != null);
            for (HistoryEntry r : entries) {
                List<String> row = new ArrayList<>(List.of(r.revision() + (r.current() ? " (current)" : ""), r.version() == null ? "-" : r.version(),
                        r.hash(), Integer.toString(r.replicas()), String.valueOf(r.created())));
                if (images) row.add(r.image() == null ? "-" : r.image());
                if (sources) row.add(r.sources() == null ? "-" : r.sources());
                row.add(r.changeCause() == null ? "" : r.changeCause());
                rows.add(row);
            }
            out.println("service/" + name);
            List<String> header = new ArrayList<>(List.of("REVISION", "VERSION", "HASH", "REPLICAS", "CREATED"));
            if (images) header.add("IMAGE");
            if (sources) header.add("SECRETS/CONFIG");
            header.add("CHANGE-CAUSE");
            Output.table(out, header, rows, "");
            out.flush();
            return 0;
        }
    }

    @Command(name = "undo", mixinStandardHelpOptions = true,
            description = "Roll back to the previous revision's template (or --to-revision N), by the spec's strategy.")
    static final class Undo extends Action {

        @Option(names = "--to-revision", paramLabel = "N", defaultValue = "0", description = "The revision to go back to (default: the previous one).")
        int toRevision;

        @Override
        Verb verb() {
            if (toRevision < 0) throw new CliException("--to-revision: must be a revision number (1 or more), got " + toRevision);
            return new Verb.Undo(toRevision);
        }
    }

    /** undo, pause, resume, restart, promote, abort and retry: the command's verb, on the target. */
    abstract static class Action extends ServiceCommand {

        /** The verb with this command's options (each checked before the target is asked anything). */
        Verb verb() {
            return Verb.of(spec.name(), 0, false).orElseThrow();
        }

        @Override
        public Integer call() {
            Verb verb = verb();
            out().println("service/" + name + " " + daemon.target().act(name, verb));
            out().flush();
            return 0;
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Hold the rollout where it stands (replicas that crash are still replaced).")
    static final class Pause extends Action {
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Continue a paused rollout; its progress deadline starts again.")
    static final class Resume extends Action {
    }

    @Command(name = "restart", mixinStandardHelpOptions = true, description = "Replace every replica with a fresh one of the same template, by the strategy.")
    static final class Restart extends Action {
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = {"Canary: go past the current step (a pause, an analysis); blue-green: promote the preview now.",
                    "With --full: skip every remaining step and analysis."})
    static final class Promote extends Action {

        @Option(names = "--full", description = "Skip the remaining steps, pauses and analysis.")
        boolean full;

        @Override
        Verb verb() {
            return new Verb.Promote(full);
        }
    }

    @Command(name = "abort", mixinStandardHelpOptions = true,
            description = "Send all traffic back to stable (or active) and stop the canary or blue-green rollout; 'retry' starts it again.")
    static final class Abort extends Action {
    }

    @Command(name = "retry", mixinStandardHelpOptions = true, description = "Start an aborted canary or blue-green rollout again from its first step.")
    static final class Retry extends Action {
    }
}
