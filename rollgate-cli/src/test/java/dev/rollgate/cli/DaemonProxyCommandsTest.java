package dev.rollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rollgate.local.store.DaemonFiles;
import dev.rollgate.testkit.Loopback;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * A service's proxy settings as users see them. Passive health: one replica of three starts failing
 * every request while its probes still pass; the proxy sets it aside after five in a row,
 * {@code rollgate events} says so, and the admin API's metrics count it. Compression: asked for in
 * the spec, the replica's JSON reaches a client that accepts gzip compressed, and others as it is.
 */
class DaemonProxyCommandsTest extends DaemonCliFixture {

    @Test
    void aReplicaThatFailsEveryRequestIsEjectedWithAnEventAndAMetric() throws Exception {
        int port = Loopback.freePort();
        Path failing = Files.createDirectories(dir.resolve("failing"));
        assertThat(rg("up").exit()).isZero();
        // Each replica answers GET / with 500 while a file named after it exists: its probes pass all along.
        rg("apply", "-f", spec("shop", 3, port, "v1", "", "--error-rate", "1", "--errors-when", failing + "/$(ROLLGATE_REPLICA)").toString());
        assertThat(rg("rollout", "status", "shop", "-w", "--timeout", "90s").exit()).isZero();
        String victim = describe("shop").path("replicas").get(1).path("id").asText();
        Files.createFile(failing.resolve(victim));

        int errors = 0;
        for (int i = 0; i < 60; i++) {
            var r = Loopback.get(port, "/");
            if (r == null || r.statusCode() != 200) errors++;
        }
        assertThat(errors).as("its five in a row, then it is out of routing").isEqualTo(5);

        await().atMost(Duration.ofSeconds(20)).until(() -> rg("events", "shop").out().contains("Ejected"));
        assertThat(rg("events", "shop").out()).contains("replica " + victim + " (revision 1) is out of routing for 30 s:"
                + " 5 requests in a row failed on it (5xx, failed connections or timeouts); ejection 1 of it");
        assertThat(describe("shop").path("status").path("ready").asInt()).as("its probes still pass: it stays Ready").isEqualTo(3);

        var address = DaemonFiles.readAddress(dir.resolve("state")).orElseThrow();
        String token = Files.readString(dir.resolve("state/token")).strip();
        var metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.port() + "/metrics"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).containsPattern("rollgate_proxy_ejections_total\\{service=\"shop\",revision=\"[0-9a-f]{10}\",endpoint=\""
                + victim + "@[0-9]+\"} 1").containsPattern("rollgate_proxy_ejected\\{service=\"shop\",[^}]*" + victim + "@[0-9]+\"} 1");
    }

    @Test
    void aServiceThatAsksForCompressionGetsItsAnswersGzippedForClientsThatAcceptIt() throws Exception {
        int port = Loopback.freePort();
        assertThat(rg("up").exit()).isZero();
        Path spec = spec("api", 1, port, "v1", "");
        Files.writeString(spec, Files.readString(spec).replace("service: {port: " + port + "}",
                "service: {port: " + port + ", compression: {encodings: [gzip], minResponseBodyBytes: 0}}"));
        assertThat(rg("apply", "-f", spec.toString()).exit()).isZero();
        assertThat(rg("rollout", "status", "api", "-w", "--timeout", "90s").exit()).isZero();
        describe("api");

        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + port + "/");
        var plain = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.headers().firstValue("content-encoding")).isEmpty();
        var gzipped = http.send(HttpRequest.newBuilder(uri).header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(gzipped.headers().firstValue("content-encoding")).hasValue("gzip");
        try (var in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).startsWith("{").contains("\"version\"");
        }
    }
}
