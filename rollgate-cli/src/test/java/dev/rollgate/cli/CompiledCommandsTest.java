package dev.rollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The models the build compiled (src/build/CompileCommands.java) are the ones picocli reads from the
 * annotations: every command, subcommand, option and positional parameter, and every help text.
 */
class CompiledCommandsTest {

    /** What the build leaves to picocli's reflection, and why: picocli's own commands, and a catch-all of arguments. */
    private static final List<String> LEFT_TO_REFLECTION = List.of("help", "generate-completion", "demo-service");

    private final CommandModels compiled = CommandModels.compiled();

    @Test
    void theBuildCompiledEveryCommandButThoseItCannotExpress() {
        assertThat(compiled).as("CompiledCommands is written by the build (process-classes)").isNotNull();
        Commands.ALL.keySet().forEach(name ->
                assertThat(compiled.command(name)).as(name).matches(spec -> (spec == null) == LEFT_TO_REFLECTION.contains(name)));
    }

    @Test
    void eachCompiledCommandIsTheAnnotatedOneHelpTextsIncluded() {
        CommandLine read = new CommandLine(new Main(), CommandFactory.INSTANCE);
        Commands.ALL.forEach(read::addSubcommand);
        CommandLine made = new CommandLine(compiled.root(), CommandFactory.INSTANCE);
        Commands.ALL.forEach((name, type) -> {
            CommandSpec spec = compiled.command(name);
            made.addSubcommand(name, spec == null ? type : spec);
        });
        same(made, read);
    }

    private static void same(CommandLine made, CommandLine read) {
        String where = read.getCommandSpec().qualifiedName();
        assertThat(made.getUsageMessage()).as(where).isEqualTo(read.getUsageMessage());
        CommandSpec m = made.getCommandSpec(), r = read.getCommandSpec();
        assertThat(m.mixinStandardHelpOptions()).as(where).isEqualTo(r.mixinStandardHelpOptions());
        assertThat(described(m.options())).as(where + " options").containsExactlyElementsOf(described(r.options()));
        assertThat(described(m.positionalParameters())).as(where + " parameters").containsExactlyElementsOf(described(r.positionalParameters()));
        assertThat(m.mixins().keySet()).as(where + " mixins").containsExactlyInAnyOrderElementsOf(r.mixins().keySet());
        assertThat(m.versionProvider() == null).as(where + " version").isEqualTo(r.versionProvider() == null);
        assertThat(made.getSubcommands().keySet()).as(where + " subcommands").containsExactlyElementsOf(read.getSubcommands().keySet());
        for (Map.Entry<String, CommandLine> e : read.getSubcommands().entrySet()) same(made.getSubcommands().get(e.getKey()), e.getValue());
    }

    /** What picocli does with an option or parameter, as text (picocli's own equals holds an instance's bindings). */
    private static List<String> described(List<? extends ArgSpec> args) {
        return args.stream().map(CompiledCommandsTest::described).sorted().toList();
    }

    private static String described(ArgSpec a) {
        String name = a instanceof OptionSpec o ? String.join("|", o.names()) + " negatable=" + o.negatable() + " order=" + o.order()
                + " fallback=" + o.fallbackValue() + " usageHelp=" + o.usageHelp() + " versionHelp=" + o.versionHelp() + " key=" + o.descriptionKey() : "index=" + ((PositionalParamSpec) a).index();
        return name + " label=" + a.paramLabel() + " arity=" + a.arity() + " type=" + a.type().getName()
                + " aux=" + Arrays.stream(a.auxiliaryTypes()).map(Class::getName).toList() + " description=" + List.of(a.description())
                + " required=" + a.required() + " hidden=" + a.hidden() + " default=" + a.defaultValue() + " split=" + a.splitRegex()
                + " show=" + a.showDefaultValue() + " converters=" + Arrays.stream(a.converters()).map(c -> c.getClass().getName()).toList()
                + " initial=" + (a.hasInitialValue() ? String.valueOf(a.initialValue()) : "none") + " interactive=" + a.interactive()
                + " multi=" + a.isMultiValue() + " candidates=" + (a.completionCandidates() == null ? null : String.join(",", a.completionCandidates()));
    }

    @Test
    void aCompiledCommandSetsItsFieldsAndItsMixinsAndInjectsItsSpec() {
        CommandLine cli = Main.commandLine("get", "web", "-o", "json", "--state-dir", "/tmp/x");
        cli.parseArgs("get", "web", "-o", "json", "--state-dir", "/tmp/x");
        GetCommand get = cli.getSubcommands().get("get").getCommand();
        assertThat(get.name).isEqualTo("web");
        assertThat(get.output).isEqualTo("json");
        assertThat(get.daemon.stateDir).isEqualTo(Path.of("/tmp/x"));
        assertThat(get.spec).isSameAs(cli.getSubcommands().get("get").getCommandSpec());
    }
}
