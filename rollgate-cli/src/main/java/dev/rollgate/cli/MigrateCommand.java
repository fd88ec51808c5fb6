package dev.rollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.view.MigrationsView;
import java.io.PrintWriter;
import java.time.Duration;
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
    static final class Status extends LocalServiceCommand {

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "json or yaml: print the migrations as data.")
        String output;

        @Override
        public Integer call() {
            PrintWriter out = out();
            JsonNode data = daemon.client().get(path()).path("migrations");
            if (!data.isObject()) throw new CliException(name + " has no spec.database: there are no migrations to show");
            if (Output.data(out, output, data)) return 0;
            MigrationsView m = DaemonClient.as(data, MigrationsView.class);
            print(out, m, "");
            out.flush();
            return 0;
        }
    }

    /** The migrations section, as {@code migrate status} and {@code describe} print it. */
    static void print(PrintWriter out, MigrationsView m, String indent) {
        out.printf("%sDatabase:      %s%n", indent, m.database());
        out.printf("%sFolder:        %s%n", indent, m.folder());
        out.printf("%sLockTimeout:   %s   ContractAfter: %s%n", indent, seconds(m.lockTimeout()), seconds(m.contractAfter()));
        if (m.problem() != null && !m.problem().isEmpty()) out.printf("%sProblem:       %s%n", indent, m.problem());
        List<List<String>> rows = new ArrayList<>();
        for (MigrationsView.Migration x : m.migrations()) {
            List<String> why = x.waitingFor() == null ? List.of() : x.waitingFor();
            rows.add(List.of(x.version(), x.file(), x.phase(), x.state(), x.appliedAt() == null ? "-" : Output.age(x.appliedAt()) + " ago",
                    why.isEmpty() ? "-" : String.join("; ", why)));
        }
        if (rows.isEmpty()) out.println(indent + "<no migrations>");
        else Output.table(out, List.of("VERSION", "FILE", "PHASE", "STATE", "APPLIED", "WAITING FOR"), rows, indent);
    }

    private static String seconds(Duration d) {
        double s = d.toMillis() / 1000.0;
        return s >= 60 && s % 60 == 0 ? (long) (s / 60) + "m" : (s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s)) + "s";
    }
}
