package dev.rollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command tree a run builds: only the command it names, and every command for help. */
class CommandsTest {

    @Test
    void eachNameIsTheOneOnItsClass() {
        Commands.ALL.forEach((name, type) ->
                assertThat(type.getAnnotation(CommandLine.Command.class).name()).as(type.getSimpleName()).isEqualTo(name));
    }

    @Test
    void aRunJoinsOnlyTheCommandItNames() {
        assertThat(Main.commandLine("get", "-o", "json").getSubcommands()).containsOnlyKeys("get");
        assertThat(Main.commandLine("rollout", "status", "web").getSubcommands().get("rollout").getSubcommands())
                .containsKeys("status", "undo", "promote");
        assertThat(Main.commandLine("--version").getSubcommands()).isEmpty();
        assertThat(Main.commandLine("--help").getSubcommands()).containsOnlyKeys(Commands.ALL.keySet().toArray(String[]::new));
        for (String reader : Commands.READ_THE_TREE) {
            assertThat(Main.commandLine(reader).getSubcommands()).containsOnlyKeys(Commands.ALL.keySet().toArray(String[]::new));
        }
    }

    @Test
    void anUnknownCommandIsNamedWithTheNearestOnes() {
        Cli.Result result = Cli.rollgate("rolout", "status");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("Unmatched argument", "'rolout'").contains("rollout");
    }

    @Test
    void helpListsEveryCommandWithAWholeSentence() {
        Cli.Result help = Cli.rollgate("--help");
        assertThat(help.exit()).isZero();
        for (Map.Entry<String, CommandLine> e : Main.commandLine().getSubcommands().entrySet()) {
            String[] description = e.getValue().getCommandSpec().usageMessage().description();
            assertThat(help.out()).contains("  " + e.getKey() + " ");
            assertThat(description).as(e.getKey()).isNotEmpty();
            assertThat(description[0].strip()).as("the summary of " + e.getKey()).endsWith(".");
        }
    }

    @Test
    void theLauncherGivesACacheOfItsOwnToTheCommandsTheTrainingHasAWorkloadFor() throws IOException {
        String launcher = Files.readString(Path.of("../rollgate"));
        var line = Pattern.compile("(?m)^\\s*([a-z|]+)\\) trained=\\$1 ;;$").matcher(launcher);
        assertThat(line.find()).as("the launcher's case of the commands with a cache of their own").isTrue();
        var own = new HashSet<>(StartupTraining.OWN_CACHE);
        own.remove("rollgate"); // a run without a command: the launcher's ""|-*) case
        assertThat(Set.of(line.group(1).split("\\|"))).isEqualTo(own);
    }

    @Test
    void versionNeedsNoCommand() {
        Cli.Result version = Cli.rollgate("--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("rollgate ");
    }
}
