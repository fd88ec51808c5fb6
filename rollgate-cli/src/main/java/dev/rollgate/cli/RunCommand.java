package dev.rollgate.cli;

import dev.rollgate.local.container.ContainerOwner;
import dev.rollgate.local.container.Images;
import dev.rollgate.local.container.Podman;
import dev.rollgate.local.dataplane.ProxyHandle;
import dev.rollgate.local.dataplane.client.ServiceProxy;
import dev.rollgate.local.dataplane.server.InProcessProxy;
import dev.rollgate.local.process.ProcessSet;
import dev.rollgate.local.process.WatchdogClient;
import dev.rollgate.local.replica.CrashLoopBackOff;
import dev.rollgate.local.replica.Drain;
import dev.rollgate.local.replica.Listeners;
import dev.rollgate.local.replica.ReplicaConfig;
import dev.rollgate.local.replica.ReplicaListener;
import dev.rollgate.local.replica.ReplicaLog;
import dev.rollgate.proxy.ProxyConfig;
import dev.rollgate.rollout.TemplateHash;
import dev.rollgate.spec.InvalidSpecException;
import dev.rollgate.spec.Rollout;
import dev.rollgate.spec.SpecError;
import dev.rollgate.spec.SpecParser;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rollgate run -f FILE}: runs a spec's replicas in the foreground until Ctrl-C or SIGTERM. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the replicas of a spec in the foreground, with probes, restarts and graceful termination.",
                "With spec.service.port, a proxy on that port routes to the ready replicas and drains a replica before it stops.",
                "Ctrl-C or SIGTERM stops every replica by the kubelet's sequence: not ready, preStop, SIGTERM, SIGKILL."})
final class RunCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE", description = "The spec file (YAML).")
    Path file;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Where logs go (default: $ROLLGATE_STATE_DIR or ~/.rollgate).")
    Path stateDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<Rollout> rollouts;
        try {
            rollouts = SpecParser.parseFile(file);
        } catch (InvalidSpecException e) {
            for (SpecError error : e.errors()) spec.commandLine().getErr().println(file + ": " + error);
            return 1;
        }
        List<Rollout> pinned = new ArrayList<>();
        for (Rollout r : rollouts) {
            var t = r.spec().template();
            if (t.command().isEmpty() && t.image() == null) {
                spec.commandLine().getErr().println(file + ": " + r.name() + ": spec.template.command or spec.template.image: required to run"
                        + " it here (a podTemplate is what Kubernetes runs)");
                return 1;
            }
            if (!t.runsContainer()) {
                pinned.add(r);
                continue;
            }
            // As apply does: the host can run containers, and the tag is resolved once, so every replica runs one build.
            var missing = Podman.missing();
            if (missing.isPresent()) {
                spec.commandLine().getErr().println(file + ": " + r.name() + ": spec.template.image: " + missing.get());
                return 1;
            }
            try {
                pinned.add(new Rollout(r.metadata(), r.spec().withTemplate(Images.pin(t))));
            } catch (Images.ImageException e) {
                spec.commandLine().getErr().println(file + ": " + r.name() + ": spec.template.image: " + e.getMessage());
                return 1;
            }
        }
        rollouts = pinned;
        Path specDir = file.toAbsolutePath().getParent();
        Path state = StateDir.resolve(stateDir);
        EventPrinter printer = new EventPrinter(out);
        WatchdogClient watchdog = WatchdogClient.start();
        List<ProcessSet> sets = new ArrayList<>();
        List<ServiceProxy> proxies = new ArrayList<>();
        for (Rollout r : rollouts) {
            var t = r.spec().template();
            Path workingDir = t.workingDir() == null ? specDir : specDir.resolve(t.workingDir());
            Path logDir = state.resolve("logs").resolve(r.name());
            ReplicaListener listener = printer;
            Drain drain = Drain.NONE;
            if (r.spec().service() != null) {
                ServiceProxy proxy;
                try {
                    var sv = r.spec().service();
                    var config = ProxyConfig.defaults().withTimeouts(ServiceProxy.timeoutsOf(sv));
                    proxy = new ServiceProxy(new InProcessProxy(sv.port(), config), t.version() == null ? "current" : t.version());
                } catch (ProxyHandle.ProxyException e) {
                    proxies.forEach(ServiceProxy::close);
                    watchdog.close();
                    spec.commandLine().getErr().printf("rollgate run: %s: %s (spec.service.port)%n", r.name(), e.getMessage());
                    return 1;
                }
                proxies.add(proxy);
                listener = new Listeners(printer, proxy);
                drain = proxy;
                out.printf("rollgate run: %s: proxy on http://127.0.0.1:%d routes to ready replicas%n", r.name(), proxy.address().getPort());
            }
            var owner = t.runsContainer()
                    ? new ContainerOwner(state.toString(), r.name(), TemplateHash.of(t)) : null;
            var config = new ReplicaConfig(workingDir, logDir, CrashLoopBackOff.KUBELET, ReplicaLog.DEFAULT_MAX_BYTES, listener, watchdog, drain,
                    owner);
            out.printf("rollgate run: %s: %d replica(s) of %s, logs in %s%n", r.name(), r.spec().replicas(),
                    t.version() != null ? t.version() : t.runsContainer() ? t.image() : String.join(" ", t.command()), logDir);
            sets.add(new ProcessSet(r.name(), t, r.spec().replicas(), config));
        }
        out.flush();
        StopSignal.onTerminate(() -> {
            out.println("rollgate run: stopping every replica (out of traffic and drained, preStop, SIGTERM, SIGKILL at the grace deadline)");
            out.flush();
            CompletableFuture.allOf(sets.stream().map(ProcessSet::stop).toArray(CompletableFuture[]::new)).join();
            proxies.forEach(ServiceProxy::close);
            watchdog.close();
            out.println("rollgate run: all replicas stopped");
            out.flush();
        });
        sets.forEach(ProcessSet::start);
        StopSignal.await();
        return 0;
    }
}
