package dev.rollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.controller.RolloutStatus;
import dev.rollgate.local.daemon.ServiceView;
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
        JsonNode data = name == null ? daemon.services() : daemon.service(name);
        if (!wide && Output.data(out, output, data)) return 0;
        List<ServiceView> services = data.isArray() ? DaemonClient.asList(data, ServiceView.class)
                : List.of(DaemonClient.as(data, ServiceView.class));
        if (services.isEmpty()) {
            out.println("No services. Apply one with: rollgate apply -f FILE");
            out.flush();
            return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        for (ServiceView s : services) {
            List<String> row = new ArrayList<>(row(s));
            if (wide) row.add(image(s));
            rows.add(row);
        }
        List<String> header = new ArrayList<>(List.of("NAME", "REVISION", "VERSION", "READY", "UP-TO-DATE", "AVAILABLE", "PHASE", "PORT", "AGE"));
        if (wide) header.add("IMAGE");
        Output.table(out, header, rows, "");
        out.flush();
        if (!daemon.cluster()) warnOfAnUnansweringDataPlane();
        return 0;
    }

    /** The table says what the daemon decided; a data plane that does not answer may serve none of it. */
    private void warnOfAnUnansweringDataPlane() {
        JsonNode d = daemon.client().get("/v1/daemon");
        if (!d.hasNonNull("dataPlaneUnansweredSince")) return;
        PrintWriter err = spec.commandLine().getErr();
        long pid = d.path("dataPlanePid").asLong();
        err.println("rollgate: warning: the data plane (pid " + pid + ") has not answered the daemon since "
                + d.path("dataPlaneUnansweredSince").asText() + "; the ports above may serve nothing (stopped? kill -CONT " + pid + ")");
        err.flush();
    }

    /** The image the current revision runs (its digest once resolved), or "-" for a process. */
    private static String image(ServiceView s) {
        return s.revisions().stream().filter(ServiceView.RevisionView::currentRevision).findFirst()
                .map(ServiceView.RevisionView::image).orElse("-");
    }

    static List<String> row(ServiceView s) {
        RolloutStatus st = s.status();
        java.time.Instant created = s.revisions().isEmpty() ? null : s.revisions().getFirst().created();
        return List.of(s.name(), Integer.toString(st.revision()), st.version() == null ? "-" : st.version(),
                st.ready() + "/" + st.desired(), Integer.toString(st.updated()), Integer.toString(st.available()),
                s.phase(), s.port() == 0 ? "-" : Integer.toString(s.port()), Output.age(created));
    }
}
