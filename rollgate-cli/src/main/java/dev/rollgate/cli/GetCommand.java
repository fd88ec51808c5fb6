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

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "json or yaml: print the services as data.")
    String output;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DaemonClient client = daemon.client();
        JsonNode data = name == null ? client.get("/v1/services") : client.get("/v1/services/" + DaemonClient.encode(name));
        if (Output.data(out, output, data)) return 0;
        List<JsonNode> services = new ArrayList<>();
        if (data.isArray()) data.forEach(services::add);
        else services.add(data);
        if (services.isEmpty()) {
            out.println("No services. Apply one with: rollgate apply -f FILE");
            out.flush();
            return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode s : services) rows.add(row(s));
        Output.table(out, List.of("NAME", "REVISION", "VERSION", "READY", "UP-TO-DATE", "AVAILABLE", "PHASE", "PORT", "AGE"), rows, "");
        out.flush();
        return 0;
    }

    static List<String> row(JsonNode s) {
        JsonNode st = s.path("status");
        String created = s.path("revisions").size() > 0 ? s.path("revisions").get(0).path("created").asText() : null;
        return List.of(s.path("name").asText(), st.path("revision").asText(), Output.text(st, "version").isEmpty() ? "-" : st.path("version").asText(),
                st.path("ready").asInt() + "/" + st.path("desired").asInt(), st.path("updated").asText(), st.path("available").asText(),
                s.path("phase").asText(), s.path("port").asInt() == 0 ? "-" : s.path("port").asText(), Output.age(created));
    }
}
