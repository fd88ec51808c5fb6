package dev.rollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
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
        DaemonClient client = daemon.client();
        String path = path();
        JsonNode s = client.get(path);
        JsonNode events = client.get(path + "/events?limit=20");
        if (output != null) {
            ObjectNode both = ((ObjectNode) s.deepCopy()).set("events", events);
            Output.data(out, output, both);
            return 0;
        }
        JsonNode st = s.path("status");
        out.printf("Name:               %s%n", s.path("name").asText());
        out.printf("Generation:         %s (observed %s)%n", s.path("generation").asText(), st.path("observedGeneration").asText());
        out.printf("Service:            %s%n", s.path("port").asInt() == 0 ? "none (no proxy)" : "http://127.0.0.1:" + s.path("port").asInt());
        out.printf("Revision:           %s%s%n", st.path("revision").asText(), Output.text(st, "version").isEmpty() ? "" : " (" + st.path("version").asText() + ")");
        out.printf("Replicas:           %d desired | %d updated | %d total | %d ready | %d available%n", st.path("desired").asInt(),
                st.path("updated").asInt(), st.path("replicas").asInt(), st.path("ready").asInt(), st.path("available").asInt());
        out.printf("Strategy:           %s%n", s.path("strategy").asText());
        out.printf("MinReadySeconds:    %d%n", s.path("minReadySeconds").asInt());
        out.printf("ProgressDeadline:   %ds%s%n", s.path("progressDeadlineSeconds").asInt(),
                s.path("progressDeadlineAbort").asBoolean() ? " (progressDeadlineAbort: rolls back on its own)" : "");
        out.printf("Phase:              %s%n", s.path("phase").asText());
        if (!Output.text(st, "abortMessage").isEmpty()) out.printf("Aborted:            %s%n", st.path("abortMessage").asText());
        JsonNode prog = st.path("progressive");
        if (prog.isObject()) {
            JsonNode ps = prog.path("state");
            out.printf("Step:               %s%n", prog.path("step").asText());
            out.printf("Traffic:            %s%n", Weights.describe(s));
            if (!Output.text(ps, "pauseReason").isEmpty()) out.printf("Paused:             %s%n", ps.path("pauseReason").asText());
            if (ps.path("aborted").asBoolean()) out.printf("Aborted:            %s%n", ps.path("abortMessage").asText());
            if (prog.path("analysis").size() > 0) {
                out.println("Analysis:");
                List<List<String>> runs = new ArrayList<>();
                for (JsonNode run : prog.path("analysis")) {
                    for (JsonNode m : run.path("metrics")) {
                        runs.add(List.of(run.path("key").asText(), run.path("phase").asText(), m.path("name").asText()
                                + (m.path("dryRun").asBoolean() ? " (dry-run)" : ""), m.path("phase").asText(),
                                m.path("count").asText() + " (" + m.path("successful").asText() + " ok, " + m.path("failed").asText() + " failed, "
                                        + m.path("inconclusive").asText() + " inconclusive, " + m.path("error").asText() + " error)",
                                Output.text(m, "lastValue").isEmpty() ? "-" : m.path("lastValue").asText()
                                        + (Output.text(m, "lastMessage").isEmpty() ? "" : " " + m.path("lastMessage").asText())));
                    }
                }
                Output.table(out, List.of("RUN", "RUN-PHASE", "METRIC", "PHASE", "MEASUREMENTS", "LAST"), runs, "  ");
            }
        }
        out.println("Conditions:");
        List<List<String>> conditions = new ArrayList<>();
        for (String c : List.of("availableCondition", "progressing")) {
            JsonNode cond = st.path(c);
            if (cond.isMissingNode() || cond.isNull()) continue;
            conditions.add(List.of(cond.path("type").asText(), cond.path("status").asText(), cond.path("reason").asText(), cond.path("message").asText()));
        }
        Output.table(out, List.of("Type", "Status", "Reason", "Message"), conditions, "  ");
        out.println("Revisions:");
        List<List<String>> revisions = new ArrayList<>();
        for (JsonNode r : s.path("revisions")) {
            revisions.add(List.of(r.path("number").asText() + (r.path("currentRevision").asBoolean() ? " (current)" : ""),
                    Output.text(r, "version").isEmpty() ? "-" : r.path("version").asText(), r.path("hash").asText(),
                    r.path("replicas").asText(), r.path("current").asText(), r.path("ready").asText(), r.path("available").asText()));
        }
        Output.table(out, List.of("REVISION", "VERSION", "HASH", "DESIRED", "CURRENT", "READY", "AVAILABLE"), revisions, "  ");
        out.println("Replicas:");
        List<List<String>> replicas = new ArrayList<>();
        for (JsonNode r : s.path("replicas")) {
            replicas.add(List.of(r.path("id").asText(), r.path("revision").asText(),
                    r.path("state").asText() + (r.path("stopping").asBoolean() && !r.path("state").asText().startsWith("Term") ? " (stopping)" : ""),
                    r.path("restarts").asText(), r.path("pid").asLong() == 0 ? "-" : r.path("pid").asText(),
                    r.path("port").asInt() == 0 ? "-" : r.path("port").asText(), Output.age(r.path("since").asText())));
        }
        Output.table(out, List.of("ID", "REVISION", "STATE", "RESTARTS", "PID", "PORT", "SINCE"), replicas, "  ");
        if (s.path("migrations").isObject()) {
            out.println("Migrations:");
            MigrateCommand.print(out, s.path("migrations"), "  ");
        }
        out.println("Events:");
        EventsCommand.print(out, events, "  ");
        out.flush();
        return 0;
    }
}
