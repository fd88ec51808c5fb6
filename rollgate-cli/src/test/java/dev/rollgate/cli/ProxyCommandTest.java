package dev.rollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rollgate.testkit.Loopback;
import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code rollgate proxy} as a process in front of a real upstream, and its argument errors. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyCommandTest {


    @Test
    void forwardsToTheUpstreamsAndServesMetricsUntilSigterm(@TempDir Path dir) throws Exception {
        HttpServer upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        upstream.createContext("/", ex -> {
            byte[] b = "from upstream".getBytes();
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        upstream.start();
        int listen = Loopback.freePort(), admin = Loopback.freePort(), closed = Loopback.freePort();
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process proxy = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "proxy",
                "--listen", "127.0.0.1:" + listen, "--upstream", "127.0.0.1:" + closed,
                "--upstream", "127.0.0.1:" + upstream.getAddress().getPort(), "--admin", "127.0.0.1:" + admin))
                .redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile()).start();
        try {
            HttpClient client = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listen + "/")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listen + "/")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.body()).as("the closed upstream is retried on the live one").isEqualTo("from upstream");
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body().contains("rollgate_proxy_retries_total{revision=\"static\",endpoint=\"upstream-0\"}"));
            assertThat(Files.readString(dir.resolve("out"))).contains("rollgate proxy: listening on 127.0.0.1:" + listen + " -> 2 upstream(s)");
            proxy.destroy();
            assertThat(proxy.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(proxy.exitValue()).isZero();
        } finally {
            proxy.destroyForcibly();
            upstream.stop(0);
        }
    }

    @Test
    void badAddressesAreNamedInTheError() {
        StringWriter err = new StringWriter();
        var cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("proxy", "--listen", "localhost", "--upstream", "127.0.0.1:9000")).isEqualTo(2);
        assertThat(err.toString()).contains("Invalid value for option '--listen': expected HOST:PORT, e.g. 127.0.0.1:8080, got 'localhost'")
                .doesNotContain("Exception");
        StringWriter err2 = new StringWriter();
        cli.setErr(new PrintWriter(err2, true));
        assertThat(cli.execute("proxy", "--listen", "127.0.0.1:8080", "--upstream", "127.0.0.1:99999")).isEqualTo(2);
        assertThat(err2.toString()).contains("port must be from 0 to 65535, got 99999");
        StringWriter err3 = new StringWriter();
        cli.setErr(new PrintWriter(err3, true));
        assertThat(cli.execute("proxy", "--listen", "127.0.0.1:8080", "--upstream", "127.0.0.1:9000", "--transport", "kqueue")).isEqualTo(2);
        assertThat(err3.toString()).contains("Invalid value for option '--transport': transport must be one of auto, io_uring, epoll, nio, got 'kqueue'");
        StringWriter err4 = new StringWriter();
        cli.setErr(new PrintWriter(err4, true));
        assertThat(cli.execute("proxy", "--listen", "127.0.0.1:8080", "--upstream", "127.0.0.1:9000", "--upstream-timeout", "0s")).isEqualTo(2);
        assertThat(err4.toString()).contains("Invalid value for option '--upstream-timeout': expected a duration such as 500ms, 10s or 2m"
                + " (more than 0, at most 24h), got '0s'").doesNotContain("Exception");
        StringWriter err5 = new StringWriter();
        cli.setErr(new PrintWriter(err5, true));
        assertThat(cli.execute("proxy", "--listen", "127.0.0.1:8080", "--upstream", "127.0.0.1:9000", "--upstream-protocol", "h3")).isEqualTo(2);
        assertThat(err5.toString()).contains("--upstream-protocol must be http1 or h2c, got h3").doesNotContain("Exception");
    }
}
