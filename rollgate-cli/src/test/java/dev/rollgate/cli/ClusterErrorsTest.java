package dev.rollgate.cli;

import static dev.rollgate.cli.Cli.rollgate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollgate.testkit.Loopback;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cluster the CLI cannot use is said so in words: the file, the context, the server, never a stack trace. */
class ClusterErrorsTest {

    @TempDir
    Path dir;

    private Path kubeconfig(int port) throws Exception {
        Path f = dir.resolve("kubeconfig");
        Files.writeString(f, """
                apiVersion: v1
                kind: Config
                clusters: [{name: lab, cluster: {server: "http://127.0.0.1:%d"}}]
                contexts: [{name: lab, context: {cluster: lab, user: tester}}]
                current-context: lab
                users: [{name: tester, user: {token: test}}]
                """.formatted(port));
        return f;
    }

    @Test
    void aMissingFileAnUnknownContextAndAServerThatDoesNotAnswerAreEachNamed() throws Exception {
        Cli.Result missing = rollgate("get", "--kubeconfig", dir.resolve("nope").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("rollgate: --kubeconfig " + dir.resolve("nope") + ": no such file\n");

        int port = Loopback.freePort();
        Path config = kubeconfig(port);
        Cli.Result context = rollgate("get", "--kubeconfig", config.toString(), "--context", "prod");
        assertThat(context.exit()).isEqualTo(1);
        assertThat(context.err()).isEqualTo("rollgate: --context prod: no such context in the kubeconfig (it has: lab)\n");

        for (String[] command : new String[][] {{"get"}, {"describe", "web"}, {"operator", "--port", "0"}}) {
            String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(command), java.util.stream.Stream.of("--kubeconfig", config.toString()))
                    .toArray(String[]::new);
            Cli.Result down = rollgate(args);
            assertThat(down.exit()).as(String.join(" ", command)).isEqualTo(1);
            assertThat(down.err()).as(String.join(" ", command))
                    .startsWith("rollgate: cannot reach the API server at http://127.0.0.1:" + port + "/: ConnectException")
                    .endsWith("(is the kubeconfig's server right, and the cluster up?)\n")
                    .doesNotContain("\tat ");
        }
    }
}
