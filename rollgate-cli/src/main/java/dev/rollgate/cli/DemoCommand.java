package dev.rollgate.cli;

import dev.rollgate.local.container.Containers;
import dev.rollgate.local.container.ThrowawayRegistry;
import dev.rollgate.local.daemon.Daemon;
import dev.rollgate.local.process.Ports;
import dev.rollgate.local.process.ProcessGroup;
import dev.rollgate.local.store.DaemonFiles;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rollgate demo}: Rollgate's main job on real processes. A daemon in a temporary
 * directory runs 4 replicas of the demo service behind its proxy; under continuous load it rolls
 * to v2 (replicas that take seconds to start), then to v3 (never ready), which the progress
 * deadline aborts and rolls back, then canaries v4 (5 % errors) at 10 % of the traffic with error
 * masking on, which the canary judge aborts; then it reports every phase and checks that no
 * request failed.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Roll the demo service through a good, a stuck and a bad version under load, and say PASS or FAIL.",
                "Deploys 4 replicas of the demo service, rolls to v2 under load, then to v3 which never becomes ready and is",
                "rolled back at its progress deadline, then canary v4 (5%% errors) at 10%% of the traffic until the analysis aborts it;",
                "reports per phase, and ends with a PASS/FAIL line.",
                "'rollgate demo migrations' plays expand / contract migrations on a real PostgreSQL."},
        subcommands = {MigrationsDemo.class})
final class DemoCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--containers", description = "Play the same story on container replicas (podman), from images in a registry on loopback, by digest.")
    boolean containers;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("rollgate-demo-");
        int port = Ports.freeLoopbackPort();
        Daemon daemon = Daemon.open(dir.resolve("state"), 0);
        StopSignal.onTerminate(() -> daemon.shutdown().join());
        DaemonClient client = DaemonClient.connect(dir.resolve("state"));
        out.printf("demo: daemon in %s (admin API on 127.0.0.1:%d); the service's proxy on http://127.0.0.1:%d%n",
                dir.resolve("state"), daemon.adminPort(), port);
        out.printf("demo: watch it live at http://127.0.0.1:%d/ui/ (log in with the token in %s)%n%n",
                daemon.adminPort(), DaemonFiles.tokenFile(dir.resolve("state")));
        out.flush();
        ThrowawayRegistry registry = null;
        DemoScenario scenario;
        if (containers) {
            out.println("demo: starting a registry on loopback and pushing the demo's images (podman, skopeo, docker-registry and"
                    + " busybox-static are installed if missing)");
            out.flush();
            registry = ThrowawayRegistry.start(dir.resolve("registry"));
            for (var image : registry.pushDemoImages("v1", "v2", "v3", "v4").entrySet()) {
                out.printf("demo:   %s = %s%n", registry.image(image.getKey()), image.getValue());
            }
            out.println();
            String address = registry.address();
            scenario = new DemoScenario(client, dir, port, out, (version, canary, args) -> DemoSpecs.containers(port, address, version, canary),
                    "/cgi-bin/hello");
        } else {
            scenario = new DemoScenario(client, dir, port, out, (version, canary, args) -> DemoSpecs.yaml(port, version, canary, args), "/");
        }
        DemoScenario.Result result = null;
        Set<Long> pids;
        List<String> images = List.of();
        try {
            result = scenario.run();
            images = scenario.images();
            out.println();
            out.println("-- report");
            DemoReport.phases(out, result.phases());
            out.println();
            out.println("-- timeline (rollout events)");
            DemoReport.timeline(out, scenario.events());
        } finally {
            out.println();
            out.println("-- stopping: every replica leaves traffic, is drained, gets SIGTERM; then the daemon exits");
            out.flush();
            pids = scenario.pids();
            daemon.shutdown().get(120, TimeUnit.SECONDS);
            if (registry != null) registry.close();
        }
        long leftovers = pids.stream().filter(pid -> !ProcessGroup.members(pid).isEmpty()).count();
        if (containers) {
            out.println();
            out.println("-- the digests that ran (rollout history)");
            images.forEach(i -> out.println("   " + i));
            int left = Containers.of(dir.resolve("state").toString()).size();
            out.printf("   %d container(s) left%n", left);
            leftovers += left;
        }
        boolean pass = DemoReport.verdict(out, result, scenario.phases(), pids, leftovers);
        out.flush();
        return pass ? 0 : 1;
    }
}
