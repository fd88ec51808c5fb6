package dev.rollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollgate.analysis.AnalysisRunView;
import dev.rollgate.controller.RolloutStatus;
import dev.rollgate.json.Json;
import dev.rollgate.local.store.Store;
import dev.rollgate.rollout.Condition;
import dev.rollgate.rollout.ProgressiveState;
import dev.rollgate.view.EventRow;
import dev.rollgate.view.ServiceView;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rollgate describe NAME}: the service's spec essentials, conditions, revision groups, replicas and recent events. */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Show one service in detail: replicas by state, strategy, conditions, revision groups, replicas, recent events.")
final class DescribeCommand extends ServiceCommand {

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "json or yaml: print the service and its events as data.")
    String output;

    @Override
    public Integer call() {
        PrintWriter out = out();
        Target target = daemon.target();
        JsonNode data = target.service(name);
        List<EventRow> events = target.events(name).newest(20);
        if (output != null) {
            ObjectNode both = ((ObjectNode) data.deepCopy()).set("events", Json.MAPPER.valueToTree(events));
            Output.data(out, output, both);
            return 0;
        }
        ServiceView s = DaemonClient.as(data, ServiceView.class);
        RolloutStatus st = s.status();
        out.printf("Name:               %s%n", s.name());
        out.printf("Generation:         %d (observed %d)%n", s.generation(), st.observedGeneration());
        out.printf("Service:            %s%n", target.address(s));
        out.printf("Revision:           %d%s%n", st.revision(), st.version() == null ? "" : " (" + st.version() + ")");
        out.printf("Replicas:           %d desired | %d updated | %d total | %d ready | %d available%n", st.desired(), st.updated(),
                st.replicas(), st.ready(), st.available());
        out.printf("Strategy:           %s%n", s.strategy());
        out.printf("MinReadySeconds:    %d%n", s.minReadySeconds());
        out.printf("ProgressDeadline:   %ds%s%n", s.progressDeadlineSeconds(),
                s.progressDeadlineAbort() ? " (progressDeadlineAbort: rolls back on its own)" : "");
        out.printf("Phase:              %s%n", s.phase());
        if (st.abortMessage() != null && !st.abortMessage().isEmpty()) out.printf("Aborted:            %s%n", st.abortMessage());
        RolloutStatus.Progressive prog = st.progressive();
        if (prog != null) progressive(out, s, prog);
        out.println("Conditions:");
        List<List<String>> conditions = new ArrayList<>();
        for (Condition c : Arrays.asList(st.availableCondition(), st.progressing())) {
            if (c != null) conditions.add(List.of(c.type(), c.status(), c.reason(), c.message()));
        }
        Output.table(out, List.of("Type", "Status", "Reason", "Message"), conditions, "  ");
        if (!s.drift().isEmpty()) {
            out.println("Drift (driftPolicy: report, left as it is):");
            s.drift().forEach(d -> out.println("  " + d));
        }
        out.println("Revisions:");
        List<List<String>> revisions = new ArrayList<>();
        boolean images = s.revisions().stream().anyMatch(r -> r.image() != null);
        boolean sources = s.revisions().stream().anyMatch(r -> r.sources() != null);
        for (ServiceView.RevisionView r : s.revisions()) {
            List<String> row = new ArrayList<>(List.of(r.number() + (r.currentRevision() ? " (current)" : ""), r.version() == null ? "-" : r.version(),
                    r.hash(), Integer.toString(r.replicas()), Integer.toString(r.current()), Integer.toString(r.ready()), Integer.toString(r.available())));
            if (images) row.add(r.image() == null ? "-" : r.image());
            if (sources) row.add(r.sources() == null ? "-" : r.sources());
            revisions.add(row);
        }
        List<String> header = new ArrayList<>(List.of("REVISION", "VERSION", "HASH", "DESIRED", "CURRENT", "READY", "AVAILABLE"));
        if (images) header.add("IMAGE");
        if (sources) header.add("SECRETS/CONFIG");
        Output.table(out, header, revisions, "  ");
        out.println("Replicas:");
        List<List<String>> replicas = new ArrayList<>();
        for (ServiceView.ReplicaView r : s.replicas()) {
            replicas.add(List.of(r.id(), Integer.toString(r.revision()),
                    r.state() + (r.stopping() && !r.state().startsWith("Term") ? " (stopping)" : ""),
                    Integer.toString(r.restarts()), r.pid() == 0 ? "-" : Long.toString(r.pid()),
                    r.port() == 0 ? "-" : Integer.toString(r.port()), Output.age(r.since())));
        }
        Output.table(out, List.of("ID", "REVISION", "STATE", "RESTARTS", "PID", "PORT", "SINCE"), replicas, "  ");
        if (s.migrations() != null) {
            out.println("Migrations:");
            MigrateCommand.print(out, s.migrations(), "  ");
        }
        out.println("Events:");
        EventsCommand.print(out, events, "  ");
        out.flush();
        return 0;
    }

    /** A canary's or blue-green's step, traffic, pause or abort, and each metric of its analysis runs. */
    private static void progressive(PrintWriter out, ServiceView s, RolloutStatus.Progressive prog) {
        ProgressiveState ps = prog.state();
        out.printf("Step:               %s%n", prog.step());
        out.printf("Traffic:            %s%n", Weights.describe(s));
        if (ps.pauseReason() != null) out.printf("Paused:             %s%n", ps.pauseReason());
        if (ps.aborted()) out.printf("Aborted:            %s%n", ps.abortMessage());
        if (prog.analysis() == null || prog.analysis().isEmpty()) return;
        out.println("Analysis:");
        List<List<String>> runs = new ArrayList<>();
        for (AnalysisRunView run : prog.analysis()) {
            for (AnalysisRunView.Metric m : run.metrics()) {
                runs.add(List.of(run.key(), run.phase().toString(), m.name() + (m.dryRun() ? " (dry-run)" : ""), m.phase().toString(),
                        m.count() + " (" + m.successful() + " ok, " + m.failed() + " failed, " + m.inconclusive() + " inconclusive, "
                                + m.error() + " error)",
                        m.lastValue() == null || m.lastValue().isEmpty() ? "-"
                                : m.lastValue() + (m.lastMessage() == null || m.lastMessage().isEmpty() ? "" : " " + m.lastMessage())));
            }
        }
        Output.table(out, List.of("RUN", "RUN-PHASE", "METRIC", "PHASE", "MEASUREMENTS", "LAST"), runs, "  ");
    }

    /** On a cluster: the Services the operator keeps for the strategy, and the namespace. */
}
