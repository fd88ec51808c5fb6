package dev.rollgate.cli;

import dev.rollgate.local.dataplane.DataPlaneProtocol;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rollgate down}: stops the daemon after draining and stopping every replica of every service. */
@Command(name = "down", mixinStandardHelpOptions = true,
        description = {"Stop the daemon: every replica leaves traffic, is drained, and stops by the kubelet's order, then the data plane.",
                "The services stay applied: the next 'rollgate up' starts them again.",
                "With --leave-running only the daemon stops: the replicas and the data plane keep serving, and the next",
                "'rollgate up' (of this Rollgate or a newer one) attaches to them: an upgrade that costs no request."})
final class DownCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    LocalDaemonOptions daemon;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120", description = "How long to wait for the daemon to stop (default 120).")
    int timeoutSeconds;

    @Option(names = "--leave-running", description = "Stop only the daemon: replicas keep running and the services' ports keep serving.")
    boolean leaveRunning;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!DaemonClient.running(daemon.dir())) {
            out.println("rollgate: no daemon is running for " + daemon.dir() + dataPlaneLeft(daemon.dir()));
            return 0;
        }
        DaemonClient client = daemon.client();
        long pid = client.get("/v1/daemon").path("pid").asLong();
        client.post("/v1/shutdown" + (leaveRunning ? "?leaveRunning=true" : ""), null);
        out.println("rollgate: stopping the daemon (pid " + pid + ")" + (leaveRunning
                ? "; the replicas and the data plane keep serving until the next 'rollgate up'"
                : ": draining and stopping every replica, then the data plane"));
        out.flush();
        long end = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (System.nanoTime() < end && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) Thread.sleep(100);
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            throw new CliException("the daemon (pid " + pid + ") is still running after " + timeoutSeconds + "s; see " + daemon.dir().resolve("daemon.log"));
        }
        out.println("rollgate: daemon stopped");
        return 0;
    }

    /** A daemon that was killed leaves its data plane (and replicas) serving: say so, and how to stop them. */
    private static String dataPlaneLeft(Path dir) {
        return DataPlaneProtocol.running(dir).map(a -> "; its data plane (pid " + a.pid()
                + ") still serves the services' ports, and their replicas still run:"
                + " 'rollgate up' attaches to them again, then 'rollgate down' stops them all").orElse("");
    }
}
