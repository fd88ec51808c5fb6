package dev.rollgate.cli;

import static dev.rollgate.cli.Cli.rollgate;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * A cluster flag never acts on the local daemon: a command that acts on the daemon only refuses it by name while
 * the command line is read, before it touches anything (here: the state directory is never made, no daemon starts).
 */
class ClusterFlagsTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "rollgate {0} {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            up                  | -n           | prod     | -n/--namespace prod
            down                | --namespace  | prod     | -n/--namespace prod
            down                | --kubeconfig | kc.yaml  | --kubeconfig kc.yaml
            dashboard           | --context    | staging  | --context staging
            install --systemd   | -n           | prod     | -n/--namespace prod
            logs shop           | -n           | prod     | -n/--namespace prod
            traffic pause shop  | -n           | prod     | -n/--namespace prod
            traffic stop shop   | --context    | prod     | --context prod
            traffic resume shop | --kubeconfig | kc.yaml  | --kubeconfig kc.yaml
            migrate status shop | -n           | prod     | -n/--namespace prod
            """)
    void aCommandOfTheLocalDaemonRefusesAClusterFlagByName(String command, String flag, String value, String named) {
        Path state = dir.resolve("state");
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.addAll(List.of("--state-dir", state.toString(), flag, value));
        Cli.Result r = rollgate(args.toArray(String[]::new));

        String qualified = "rollgate " + command.replace(" shop", "").replace(" --systemd", "");
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).startsWith("'" + qualified + "' acts on the local daemon only and takes no cluster flag, got " + named
                + " (the commands that act on a cluster: apply, diff, get, describe, delete, events, rollout)");
        assertThat(r.out()).isEmpty();
        assertThat(Files.exists(state)).as("nothing touched: no state directory, no daemon").isFalse();
    }

    @ParameterizedTest(name = "rollgate {0} -n prod")
    @CsvSource({"delete shop", "get shop", "describe shop", "events shop", "rollout status shop", "rollout undo shop"})
    void aCommandThatTakesAClusterFlagGoesToTheCluster(String command) {
        Path state = dir.resolve("state");
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.addAll(List.of("--state-dir", state.toString(), "-n", "prod", "--kubeconfig", dir.resolve("missing").toString()));
        Cli.Result r = rollgate(args.toArray(String[]::new));

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).as("the cluster's kubeconfig, not the daemon").isEqualTo("rollgate: --kubeconfig " + dir.resolve("missing") + ": no such file\n");
        assertThat(Files.exists(state)).isFalse();
    }

    /**
     * Every command with a state directory either takes the cluster flags (a Target of either kind), refuses them by name
     * (the daemon's commands), or has none at all (rollgate run, whose replicas are its own): none takes -n and quietly acts
     * on this host.
     */
    @Test
    void everyCommandOfADaemonTakesTheClusterFlagsOrRefusesThem() {
        List<String> cluster = new ArrayList<>(), refused = new ArrayList<>(), none = new ArrayList<>();
        walk(Main.commandLine(), cluster, refused, none);
        assertThat(cluster).containsExactlyInAnyOrder("rollgate apply", "rollgate diff", "rollgate get", "rollgate describe", "rollgate delete",
                "rollgate events", "rollgate rollout status", "rollgate rollout history", "rollgate rollout undo", "rollgate rollout pause",
                "rollgate rollout resume", "rollgate rollout restart", "rollgate rollout promote", "rollgate rollout abort", "rollgate rollout retry");
        assertThat(refused).hasSizeGreaterThan(10);
        assertThat(none).containsExactly("rollgate run");
        Cli.Result run = rollgate("run", "-f", "spec.yaml", "--state-dir", dir.resolve("state").toString(), "-n", "prod");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown option", "'-n'");
        for (String command : refused) {
            Path state = dir.resolve("state");
            List<String> args = new ArrayList<>(List.of(command.substring("rollgate ".length()).split(" ")));
            args.addAll(List.of("--state-dir", state.toString(), "-n", "prod"));
            Cli.Result r = rollgate(args.toArray(String[]::new));
            assertThat(r.exit()).as(command + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).as(command).startsWith("'" + command + "' acts on the local daemon only and takes no cluster flag, got -n/--namespace prod");
            assertThat(Files.exists(state)).as(command + " touched nothing").isFalse();
        }
    }

    private static void walk(CommandLine c, List<String> cluster, List<String> refused, List<String> none) {
        var spec = c.getCommandSpec();
        var kubeconfig = spec.findOption("--kubeconfig");
        if (spec.findOption("--state-dir") != null) {
            (kubeconfig == null ? none : kubeconfig.hidden() ? refused : cluster).add(spec.qualifiedName());
        }
        c.getSubcommands().values().forEach(sub -> walk(sub, cluster, refused, none));
    }
}
