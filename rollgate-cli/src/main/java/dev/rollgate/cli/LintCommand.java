package dev.rollgate.cli;

import dev.rollgate.lint.Finding;
import dev.rollgate.lint.LintReport;
import dev.rollgate.lint.Linter;
import dev.rollgate.lint.Severity;
import dev.rollgate.migrate.MigrationLint;
import dev.rollgate.spec.InvalidSpecException;
import dev.rollgate.spec.SpecParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rollgate lint FILE|DIR...}: rollout-safety checks on Kubernetes manifests and Rollgate specs. */
@Command(name = "lint", mixinStandardHelpOptions = true,
        description = {"Check manifests and migrations for what makes rollouts unsafe.",
                "Checks missing or identical probes, preStop and grace period,",
                "surge settings, disruption budgets, pinned images, secrets in env, and more. Exits 1 when an error remains.",
                "Suppress a check on one object with the annotation rollgate.dev/ignore: check-id,check-id.",
                "SQL migrations (V<version>__expand_<what>.sql, V<version>__contract_<what>.sql, given as files or folders, or",
                "named by a Rollgate spec's spec.database.migrations) get the expand / contract safety checks."})
final class LintCommand implements Callable<Integer> {

    enum Output { text, json, sarif }

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "YAML and SQL files, or directories searched for *.yaml, *.yml and *.sql.")
    List<Path> inputs = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "text (default), json or sarif.")
    Output output = Output.text;

    @Override
    public Integer call() {
        Linter.Result manifests = Linter.lint(inputs.stream().filter(p -> !p.toString().endsWith(".sql")).toList());
        var sql = MigrationLint.lint(migrationInputs());
        List<Finding> findings = new ArrayList<>(manifests.findings());
        findings.addAll(sql.findings());
        List<String> problems = new ArrayList<>(manifests.problems());
        problems.addAll(sql.problems());
        Linter.Result result = new Linter.Result(findings, problems, manifests.objects());
        result.problems().forEach(p -> spec.commandLine().getErr().println("rollgate lint: " + p));
        boolean colour = System.console() != null && System.getenv("NO_COLOR") == null && !"dumb".equals(System.getenv("TERM"));
        spec.commandLine().getOut().print(switch (output) {
            case text -> LintReport.text(result.findings(), colour);
            case json -> LintReport.json(result.findings());
            case sarif -> LintReport.sarif(result.findings());
        });
        spec.commandLine().getOut().flush();
        boolean errors = result.findings().stream().anyMatch(f -> f.severity() == Severity.error);
        return errors || !result.problems().isEmpty() ? 1 : 0;
    }

    /** The SQL inputs, and the migrations folders that the Rollgate specs among the YAML inputs name. */
    private List<Path> migrationInputs() {
        List<Path> out = new ArrayList<>();
        for (Path in : inputs) {
            if (in.toString().endsWith(".sql") || Files.isDirectory(in)) out.add(in);
            if (!Files.isRegularFile(in) || !(in.toString().endsWith(".yaml") || in.toString().endsWith(".yml"))) continue;
            try {
                for (var r : SpecParser.parse(Files.readString(in))) {
                    var db = r.spec().database();
                    if (db != null) out.add(in.toAbsolutePath().getParent().resolve(db.migrations()).normalize());
                }
            } catch (InvalidSpecException | IOException | RuntimeException notARollgateSpec) {
                // a Kubernetes manifest, or a spec 'rollgate validate' will report on
            }
        }
        return out;
    }
}
