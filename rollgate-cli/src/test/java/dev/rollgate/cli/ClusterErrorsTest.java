package dev.rollgate.cli;

import static dev.rollgate.cli.Cli.rollgate;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.rollgate.testkit.Loopback;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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

    /** An API server on loopback that answers every call with a 200 head and then {@code body} as it likes. */
    private HttpServer apiServer(com.sun.net.httpserver.HttpHandler body) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        s.createContext("/", body);
        s.start();
        return s;
    }

    @Test
    void anApiServerThatDripsItsAnswerIsGivenUpOnAtTheRequestTimeout() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        HttpServer drip = apiServer(ex -> {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, 0);
            try (var out = ex.getResponseBody()) {
                out.write("{\"kind\":\"RolloutList\",\"items\":[".getBytes(StandardCharsets.UTF_8));
                out.flush();
                while (!done.await(100, TimeUnit.MILLISECONDS)) { // a byte a tenth of a second, for as long as anyone listens
                    out.write(' ');
                    out.flush();
                }
            } catch (InterruptedException | java.io.IOException gone) {
                // the client gave up
            }
        });
        try {
            Cli.Result r = rollgate("get", "--kubeconfig", kubeconfig(drip.getAddress().getPort()).toString(), "--request-timeout", "2s");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("did not end within 2s (--request-timeout)").doesNotContain("\tat ");
        } finally {
            done.countDown();
            drip.stop(0);
        }
    }

    @Test
    void anApiServerThatTakesTheCallAndSaysNothingIsGivenUpOnWithinTheRequestTimeout() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Cli.Result r = rollgate("get", "--kubeconfig", kubeconfig(silent.getLocalPort()).toString(), "--request-timeout", "2s");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("HttpTimeoutException").doesNotContain("\tat ");
        }
    }

    @Test
    void anApiServerAnswerOverTheCapIsRefusedByName() throws Exception {
        HttpServer huge = apiServer(ex -> {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, 0);
            byte[] spaces = new byte[1 << 20];
            java.util.Arrays.fill(spaces, (byte) ' ');
            try (var out = ex.getResponseBody()) {
                out.write("{\"kind\":\"RolloutList\",\"items\":[".getBytes(StandardCharsets.UTF_8));
                for (int i = 0; i < 200; i++) out.write(spaces); // 200 MiB unless the client stops first
            } catch (java.io.IOException gone) {
                // the client stopped reading
            }
        });
        try {
            Cli.Result r = rollgate("get", "--kubeconfig", kubeconfig(huge.getAddress().getPort()).toString());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("is over 64 MiB, more than a command reads").doesNotContain("\tat ");
        } finally {
            huge.stop(0);
        }
    }

    @Test
    void theRequestTimeoutIsForAClusterOnly() {
        Cli.Result r = rollgate("get", "--request-timeout", "5s", "--state-dir", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("--request-timeout: for a cluster's API server");
        Cli.Result bad = rollgate("get", "--request-timeout", "soon", "--kubeconfig", dir.resolve("k").toString());
        assertThat(bad.exit()).isEqualTo(1);
    }
}
