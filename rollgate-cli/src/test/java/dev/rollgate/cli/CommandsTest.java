package dev.rollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
        Set<String> caches = new HashSet<>(Set.of(line.group(1).split("\\|")));
        var named = Pattern.compile("trained=([a-z]+)").matcher(launcher);  // --version, a run without a command, get's table
        while (named.find()) caches.add(named.group(1));
        caches.remove("all");
        assertThat(caches).isEqualTo(StartupTraining.OWN_CACHE);
    }

    @Test
    void theSpecsTheStartUpCacheIsTrainedOnAreValid(@TempDir Path dir) throws IOException {
        for (String spec : List.of(StartupTraining.SPEC, StartupTraining.RICH_SPEC)) {
            Path file = Files.writeString(dir.resolve("training.yaml"), spec);
            Cli.Result r = Cli.rollgate("validate", "-f", file.toString());
            assertThat(r.exit()).as("a spec the training validates: a broken one would train the cache on the error path\n" + r.err()).isZero();
        }
    }

    @Test
    void aCommandThatLeavesAThreadRunningIsNotTakenForTheLastThreadWhereverThatThreadIs() throws Exception {
        var release = new java.util.concurrent.CountDownLatch(1);
        Thread other = new Thread(new ThreadGroup("elsewhere"), () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        other.start();
        try {
            assertThat(Main.onlyThreadLeft()).as("a live platform thread that is no daemon keeps the JVM alive: main must exit").isFalse();
        } finally {
            release.countDown();
            other.join();
        }
    }

    @Test
    void versionNeedsNoCommand() {
        Cli.Result version = Cli.rollgate("--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("rollgate ");
    }
}
