package dev.rollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rollgate get [NAME]}: one line per service, as {@code kubectl get deployments}. */
@Command(name = "get", mixinStandardHelpOptions = true, description = "List services: revision, version, ready, up-to-date and available replicas, phase, port, age.")
final class GetCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DaemonOptions daemon;

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "One service (default: all).")
    String name;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT",
            description = "json or yaml: print the services as data; wide: add the image the current revision runs (its digest).")
    String output;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        boolean wide = "wide".equals(output);
        if (output != null && !output.isEmpty() && !wide && !List.of("json", "yaml").contains(output)) {
            throw new CliException("-o: unknown output format '" + output + "'; use json, yaml or wide");
        }
        Target target = daemon.target();
        JsonNode data = name == null ? target.services() : target.service(name);
        if (!wide && Output.data(out, output, data)) return 0;
        // The table reads the answer's tree: binding it to ServiceView records first (Jackson's introspection
        // of them) took 75 ms of a 0.3 s command.
        List<JsonNode> services = new ArrayList<>();
        if (data.isArray()) data.forEach(services::add); else services.add(data);
        if (services.isEmpty()) {
            out.println("No services. Apply one with: rollgate apply -f FILE");
            out.flush();
            return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode s : services) {
            List<String> row = new ArrayList<>(row(s));
            if (wide) row.add(image(s));
            rows.add(row);
        }
        List<String> header = new ArrayList<>(List.of("NAME", "REVISION", "VERSION", "READY", "UP-TO-DATE", "AVAILABLE", "PHASE", "PORT", "AGE"));
        if (wide) header.add("IMAGE");
        Output.table(out, header, rows, "");
        out.flush();
        target.warning().ifPresent(w -> {
            spec.commandLine().getErr().println("rollgate: warning: " + w);
            spec.commandLine().getErr().flush();
        });
        return 0;
    }

    /** The image the current revision runs (its digest once resolved), or "-" for a process. */
    private static String image(JsonNode service) {
        for (JsonNode r : service.path("revisions")) {
            if (r.path("currentRevision").asBoolean()) return r.hasNonNull("image") ? r.get("image").asText() : "-";
        }
        return "-";
    }

    /** One line of the table, from a service as the daemon or a cluster gives it ({@code ServiceView}'s fields). */
    static List<String> row(JsonNode s) {
        JsonNode st = s.path("status");
        JsonNode first = s.path("revisions").path(0);
        int port = s.path("port").asInt();
        return List.of(s.path("name").asText(), st.path("revision").asText("0"), st.hasNonNull("version") ? st.get("version").asText() : "-",
                st.path("ready").asInt() + "/" + st.path("desired").asInt(), st.path("updated").asText("0"), st.path("available").asText("0"),
                s.path("phase").asText(), port == 0 ? "-" : Integer.toString(port), Output.age(first.path("created").asText(null)));
    }
}
