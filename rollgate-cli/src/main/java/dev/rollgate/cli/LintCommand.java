package dev.rollgate.cli;

import dev.rollgate.lint.LintReport;
import dev.rollgate.lint.Linter;
import dev.rollgate.lint.Severity;
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
        description = {"Check manifests for what makes rollouts unsafe: missing or identical probes, preStop and grace period,",
                "surge settings, disruption budgets, pinned images, secrets in env, and more. Exits 1 when an error remains.",
                "Suppress a check on one object with the annotation rollgate.dev/ignore: check-id,check-id."})
final class LintCommand implements Callable<Integer> {

    enum Output { text, json, sarif }

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "YAML files, or directories searched for *.yaml and *.yml.")
    List<Path> inputs = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "text (default), json or sarif.")
    Output output = Output.text;

    @Override
    public Integer call() {
        Linter.Result result = Linter.lint(inputs);
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
}
