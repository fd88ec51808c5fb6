package dev.rollgate.local.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rollgate.local.dataplane.DataPlaneProtocol;
import dev.rollgate.local.process.ProcessGroup;
import dev.rollgate.local.store.DaemonFiles;
import dev.rollgate.proxy.RoutingTable;
import dev.rollgate.testkit.Loopback;
import dev.rollgate.view.EventRow;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What runs held against what was decided, on one host: the data plane's table and a replica's port, put back or reported. */
class DriftDaemonTest {

    @TempDir
    Path dir;

    private Daemon daemon;
    private final List<Long> pids = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) daemon.shutdown().get();
        for (long pid : pids) assertThat(ProcessGroup.members(pid)).as("process group " + pid + " left behind").isEmpty();
    }

    private int status(int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Someone with the token sets the data plane's table by hand: no endpoint at all. */
    private void emptyTheDataPlanesTable(String service) throws Exception {
        Path state = dir.resolve("state");
        var address = DataPlaneProtocol.running(state).orElseThrow();
        var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.port() + "/v1/services/" + service + "/table"))
                .header("Authorization", "Bearer " + DaemonFiles.token(state)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(dev.rollgate.json.Json.write(RoutingTable.single("0", List.of())))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private List<EventRow> events(String reason) throws Exception {
        return daemon.events("web", 0, 10_000).stream().filter(e -> e.reason().equals(reason)).toList();
    }

    @Test
    void aRoutingTableChangedInTheDataPlaneIsPutBackOrReported() throws Exception {
        daemon = Daemon.open(dir.resolve("state"), 0);
        int port = Loopback.freePort();
        daemon.apply(Specs.rollout("web", 1, port, "v1", ""), dir.toString(), "web.yaml");
        DaemonAwait.phase(daemon, "web", "Complete", pids);
        assertThat(status(port)).isEqualTo(200);

        emptyTheDataPlanesTable("web");
        await().atMost(Duration.ofSeconds(60)).until(() -> events("DriftCorrected").stream()
                .anyMatch(e -> e.message().contains("the data plane's routing table for web is not the daemon's")));
        await().atMost(Duration.ofSeconds(10)).until(() -> status(port) == 200);

        daemon.apply(Specs.rollout("web", 1, port, "v1", "  driftPolicy: report\n"), dir.toString(), "web.yaml");
        DaemonAwait.phase(daemon, "web", "Complete", pids);
        emptyTheDataPlanesTable("web");
        await().atMost(Duration.ofSeconds(60)).until(() -> !events("Drifted").isEmpty());
        assertThat(daemon.describe("web").drift()).singleElement().asString().contains("routing table for web");
        assertThat(status(port)).as("left as it is: no endpoint").isEqualTo(503);
        assertThat(events("DriftCorrected")).hasSize(1);
    }

    @Test
    void aReplicasPortServedByAnotherProcessIsFoundAndTheReplicaRestartedOnAnotherPort() throws Exception {
        daemon = Daemon.open(dir.resolve("state"), 0);
        // A replica that never listens: the readiness probe is answered by whatever holds its port.
        daemon.apply("""
                apiVersion: rollgate.dev/v1alpha1
                kind: Rollout
                metadata: {name: web}
                spec:
                  replicas: 1
                  template:
                    command: [sleep, '600']
                    readinessProbe: {tcpSocket: {}, periodSeconds: 1}
                    terminationGracePeriodSeconds: 2
                """, dir.toString(), "web.yaml");
        await().atMost(Duration.ofSeconds(30)).until(() -> daemon.describe("web").replicas().stream().anyMatch(r -> r.port() > 0 && r.pid() > 0));
        var replica = daemon.describe("web").replicas().getFirst();
        pids.add(replica.pid());
        try (ServerSocket foreign = new ServerSocket(replica.port(), 50, InetAddress.getLoopbackAddress())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> events("DriftCorrected").stream().anyMatch(e -> e.message().contains(
                    "port " + replica.port() + " of replica " + replica.id() + " is served by pid " + ProcessHandle.current().pid())));
            await().atMost(Duration.ofSeconds(30)).until(() -> daemon.describe("web").replicas().stream()
                    .anyMatch(r -> r.restarts() > 0 && r.port() > 0 && r.port() != replica.port()));
            daemon.describe("web").replicas().forEach(r -> pids.add(r.pid()));
            assertThat(daemon.events("web", 0, 10_000)).anySatisfy(e -> assertThat(e.message()).contains("is served by pid")
                    .contains("will be restarted"));
        }
    }
}
