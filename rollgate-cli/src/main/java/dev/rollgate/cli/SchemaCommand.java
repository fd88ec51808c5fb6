package dev.rollgate.cli;

import dev.rollgate.spec.JsonSchema;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code rollgate schema}: the spec's JSON Schema, for YAML editors. */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = "Print the JSON Schema of the Rollout spec (for editors: yaml-language-server, IntelliJ).")
final class SchemaCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().println(JsonSchema.rolloutSchema());
        return 0;
    }
}
