package dev.rollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rollgate migrate status NAME}: each migration of a service, applied, pending or held, and what a held one waits for. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Expand / contract migrations gated by the rollout (spec.database).",
                "Expand migrations run before a new revision's first replica starts; contract migrations wait until",
                "nothing older runs or holds a database session and the rollback window (contractAfter) has passed."},
        subcommands = {MigrateCommand.Status.class})
final class MigrateCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new CliException("migrate: say what to do: status (rollgate migrate --help)");
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show the service's migrations: applied, pending, held (with why) or failed.")
    static final class Status extends ServiceCommand {

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "json or yaml: print the migrations as data.")
        String output;

        @Override
        public Integer call() {
            PrintWriter out = out();
            JsonNode m = daemon.client().get(path()).path("migrations");
            if (!m.isObject()) throw new CliException(name + " has no spec.database: there are no migrations to show");
            if (Output.data(out, output, m)) return 0;
            print(out, m, "");
            out.flush();
            return 0;
        }
    }

    /** The migrations section, as {@code migrate status} and {@code describe} print it. */
    static void print(PrintWriter out, JsonNode m, String indent) {
        out.printf("%sDatabase:      %s%n", indent, m.path("database").asText());
        out.printf("%sFolder:        %s%n", indent, m.path("folder").asText());
        out.printf("%sLockTimeout:   %s   ContractAfter: %s%n", indent, seconds(m.path("lockTimeout")), seconds(m.path("contractAfter")));
        if (!Output.text(m, "problem").isEmpty()) out.printf("%sProblem:       %s%n", indent, m.path("problem").asText());
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode x : m.path("migrations")) {
            List<String> why = new ArrayList<>();
            x.path("waitingFor").forEach(w -> why.add(w.asText()));
            rows.add(List.of(x.path("version").asText(), x.path("file").asText(), x.path("phase").asText(), x.path("state").asText(),
                    Output.text(x, "appliedAt").isEmpty() ? "-" : Output.age(x.path("appliedAt").asText()) + " ago",
                    why.isEmpty() ? "-" : String.join("; ", why)));
        }
        if (rows.isEmpty()) out.println(indent + "<no migrations>");
        else Output.table(out, List.of("VERSION", "FILE", "PHASE", "STATE", "APPLIED", "WAITING FOR"), rows, indent);
    }

    private static String seconds(JsonNode d) {
        double s = d.isTextual() ? java.time.Duration.parse(d.asText()).toMillis() / 1000.0 : d.asDouble();
        return s >= 60 && s % 60 == 0 ? (long) (s / 60) + "m" : (s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s)) + "s";
    }
}
