package dev.rollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.demo.DemoService;
import dev.rollgate.json.Json;
import dev.rollgate.local.process.ProcessGroup;
import dev.rollgate.local.store.DaemonFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests of the daemon as users run it share: a state directory of their own, the {@code rollgate} command
 * against it, specs of demo-service replicas, and after each test, the daemon down and no replica process left.
 */
abstract class DaemonCliFixture {

    @TempDir
    Path dir;

    final Set<Long> seenPids = ConcurrentHashMap.newKeySet();

    String state() {
        return dir.resolve("state").toString();
    }

    Cli.Result rg(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--state-dir");
        all.add(state());
        return Cli.rollgate(all.toArray(String[]::new));
    }

    @AfterEach
    void down() {
        if (DaemonFiles.readAddress(dir.resolve("state")).isPresent()) rg("down");
        List<Long> left = new ArrayList<>();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> seenPids.stream().allMatch(pid -> ProcessGroup.members(pid).isEmpty()));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            seenPids.stream().filter(pid -> !ProcessGroup.members(pid).isEmpty()).forEach(left::add);
            left.forEach(ProcessGroup::killAll); // no leak into the next test, whatever happened here
        }
        assertThat(left).as("processes left running").isEmpty();
    }

    /** A replica's command as a YAML flow list's items: a light JVM running {@code main} from the test class path, then {@code args}. */
    static String javaArgv(Class<?> main, String version, String... args) {
        StringBuilder argv = new StringBuilder("'" + ProcessHandle.current().info().command().orElseThrow() + "', -XX:TieredStopAtLevel=1, "
                + "-XX:+UseSerialGC, -Xmx64m, -Xss512k, -cp, '" + System.getProperty("java.class.path") + "', " + main.getName()
                + ", --version, " + version);
        for (String a : args) argv.append(", '").append(a).append("'");
        return argv.toString();
    }

    Path spec(String name, int replicas, int port, String version, String extra, String... demoArgs) throws IOException {
        String argv = javaArgv(DemoService.class, version, demoArgs);
        String yaml = """
                apiVersion: rollgate.dev/v1alpha1
                kind: Rollout
                metadata: {name: %s}
                spec:
                  replicas: %d
                %s%s  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
                  template:
                    version: %s
                    command: [%s]
                    startupProbe:   {httpGet: {path: /health/started}, periodSeconds: 1, timeoutSeconds: 5, failureThreshold: 60}
                    readinessProbe: {httpGet: {path: /health/ready}, periodSeconds: 1, timeoutSeconds: 5}
                    terminationGracePeriodSeconds: 10
                """.formatted(name, replicas, port > 0 ? "  service: {port: " + port + "}\n" : "", extra, version, argv);
        Path file = dir.resolve(name + "-" + version + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    JsonNode describe(String name) {
        Cli.Result r = rg("get", name, "-o", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        try {
            JsonNode n = Json.MAPPER.readTree(r.out());
            n.path("replicas").forEach(x -> {
                if (x.path("pid").asLong() > 0) seenPids.add(x.path("pid").asLong());
            });
            return n;
        } catch (IOException e) {
            throw new AssertionError(r.out(), e);
        }
    }

    long daemonPid() {
        return DaemonFiles.readAddress(dir.resolve("state")).orElseThrow().pid();
    }
}
