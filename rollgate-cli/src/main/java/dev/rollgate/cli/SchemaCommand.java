package dev.rollgate.cli;

import dev.rollgate.kubernetes.Crds;
import dev.rollgate.spec.JsonSchema;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code rollgate schema}: the spec's JSON Schema, for YAML editors. */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = {"Print the JSON Schema of the Rollout spec (for editors: yaml-language-server, IntelliJ).",
                "--crd: the Kubernetes CustomResourceDefinitions of Rollout and AnalysisTemplate, from the same declaration."})
final class SchemaCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Option(names = "--crd", description = "The CustomResourceDefinitions (YAML) instead of the JSON Schema.")
    boolean crd;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(crd ? Crds.yaml() : JsonSchema.rolloutSchema() + "\n");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
