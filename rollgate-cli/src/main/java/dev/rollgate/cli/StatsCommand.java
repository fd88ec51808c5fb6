package dev.rollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.spec.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rollgate stats [NAME]}: how well each service ships, by the four DORA figures, from what the daemon recorded. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Show the DORA figures of each service from its recorded rollouts.",
                "Deployment frequency, lead time (apply to completed), change-failure rate (aborted, rolled back in its bake, or undone)"
                        + " and time to restore (a failed deployment's start until every user is back on a good revision)."})
final class StatsCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    LocalDaemonOptions daemon;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "One service (default: all).")
    String name;

    @Option(names = "--since", paramLabel = "PERIOD", defaultValue = "30d",
            description = "Deployments started this far back: 30d (default), 24h, 90m.")
    String since;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "json or yaml: print the figures as data.")
    String output;

    @Override
    public Integer call() {
        if (name != null && !name.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw new CliException("NAME: \"" + name + "\" is not a service name");
        }
        if (!since.matches("\\d{1,5}d|(\\d{1,9}(ms|s|m|h))+")) throw new CliException("--since: not a period like 30d, 24h or 90m: " + since);
        PrintWriter out = spec.commandLine().getOut();
        JsonNode figures = daemon.client().get("/v1/stats?since=" + since + (name == null ? "" : "&service=" + DaemonClient.encode(name)));
        if (Output.data(out, output, figures)) return 0;
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode f : figures) {
            rows.add(List.of(f.path("service").asText(), f.path("deployments").asText(), f.path("inProgress").asText(),
                    String.format(Locale.ROOT, "%.2f", f.path("perDay").asDouble()),
                    duration(f.path("leadTimeMedian")) + " / " + duration(f.path("leadTimeP90")),
                    f.path("changeFailureRate").isNull() ? "-" : String.format(Locale.ROOT, "%.0f%% (%d of %d)",
                            100 * f.path("changeFailureRate").asDouble(), f.path("failed").asInt(), f.path("failed").asInt() + f.path("succeeded").asInt()),
                    duration(f.path("timeToRestoreMedian"))));
        }
        if (rows.isEmpty()) {
            out.println("No service is applied.");
        } else {
            out.println("Deployments started in the last " + since + ":");
            Output.table(out, List.of("SERVICE", "DEPLOYS", "IN PROGRESS", "PER DAY", "LEAD TIME p50 / p90", "CHANGE FAILURE", "TIME TO RESTORE p50"),
                    rows, "");
        }
        out.flush();
        return 0;
    }

    /** A duration as the daemon's JSON writes it (ISO-8601, e.g. PT1M30S), shown as 1m30s; "-" for none. */
    private static String duration(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) return "-";
        Duration d = n.isNumber() ? Duration.ofMillis(Math.round(n.asDouble() * 1000)) : Duration.parse(n.asText());
        return Durations.format(d.toMillis() >= 1000 ? d.withNanos(0) : d);
    }
}
