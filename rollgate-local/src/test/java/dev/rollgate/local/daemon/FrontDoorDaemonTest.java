package dev.rollgate.local.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollgate.local.ApiException;
import dev.rollgate.local.frontdoor.FrontDoorSettings;
import dev.rollgate.testkit.Loopback;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three services behind one front door (two by host, one by path), a rolling update of one under
 * load while the others are untouched; a route that clashes is refused naming both; a stopped
 * service answers 503 on the front door too.
 */
class FrontDoorDaemonTest {

    @TempDir
    Path dir;

    private Daemon daemon;
    private final List<Long> pids = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) daemon.shutdown().get();
    }


    private static String onFrontDoor(String spec, int port, String frontDoor) {
        return spec.replace("  service: {port: " + port + "}\n", "  service: {port: " + port + ", " + frontDoor + "}\n");
    }

    @Test
    void aRollingUpdateOfOneServiceUnderLoadLeavesTheOthersUntouchedAndLosesNothing() throws Exception {
        int door = Loopback.freePort();
        daemon = Daemon.open(dir.resolve("state"), 0, new FrontDoorSettings("127.0.0.1:" + door, null, List.of(), null, null));
        int shopPort = Loopback.freePort(), apiPort = Loopback.freePort(), blogPort = Loopback.freePort();
        daemon.apply(onFrontDoor(Specs.rollout("shop", 2, shopPort, "shop-v1", "  minReadySeconds: 1\n"), shopPort, "hosts: [localhost]"),
                dir.toString(), "shop.yaml");
        daemon.apply(onFrontDoor(Specs.rollout("api", 1, apiPort, "api-v1", ""), apiPort, "hosts: [localhost], pathPrefix: /api, stripPrefix: true"),
                dir.toString(), "api.yaml");
        daemon.apply(onFrontDoor(Specs.rollout("blog", 1, blogPort, "blog-v1", ""), blogPort, "hosts: ['127.0.0.1']"), dir.toString(), "blog.yaml");
        for (String s : List.of("shop", "api", "blog")) DaemonAwait.phase(daemon, s, "Complete", pids);

        LoadLoop shop = LoadLoop.start(URI.create("http://localhost:" + door + "/"));
        LoadLoop api = LoadLoop.start(URI.create("http://localhost:" + door + "/api/"));
        LoadLoop blog = LoadLoop.start(URI.create("http://127.0.0.1:" + door + "/"));
        daemon.apply(onFrontDoor(Specs.rollout("shop", 2, shopPort, "shop-v2", "  minReadySeconds: 1\n", "--startup-delay", "1s"), shopPort,
                "hosts: [localhost]"), dir.toString(), "shop-v2.yaml");
        DaemonAwait.phase(daemon, "shop", "Complete", pids);
        shop.stop();
        api.stop();
        blog.stop();

        assertThat(shop.keys()).containsExactlyInAnyOrder("200", "shop-v1", "shop-v2");
        assertThat(api.keys()).containsExactlyInAnyOrder("200", "api-v1");
        assertThat(blog.keys()).containsExactlyInAnyOrder("200", "blog-v1");
        assertThat(shop.count("200") + api.count("200") + blog.count("200")).isGreaterThan(100);

        int clashPort = Loopback.freePort();
        assertThatThrownBy(() -> daemon.apply(onFrontDoor(Specs.rollout("other", 1, clashPort, "v1", ""), clashPort, "hosts: [localhost]"),
                dir.toString(), "other.yaml")).isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("other.yaml: the front door routes clash; nothing was applied");
                    assertThat(e.details()).containsExactly("services other and shop both route localhost with path prefix /");
                });

        daemon.traffic("blog", dev.rollgate.proxy.TrafficMode.stop("moving house", 30));
        HttpResponse<String> stopped = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + door + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(stopped.statusCode()).isEqualTo(503);
        assertThat(stopped.headers().firstValue("retry-after")).hasValue("30");
        assertThat(stopped.body()).isEqualTo("moving house\n");
    }
}
