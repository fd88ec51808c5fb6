package dev.rollgate.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rollgate down}: stops the daemon after draining and stopping every replica of every service. */
@Command(name = "down", mixinStandardHelpOptions = true,
        description = {"Stop the daemon: every replica leaves traffic, is drained, and stops by the kubelet's order.",
                "The services stay applied: the next 'rollgate up' starts them again."})
final class DownCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DaemonOptions daemon;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120", description = "How long to wait for the daemon to stop (default 120).")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!DaemonClient.running(daemon.dir())) {
            out.println("rollgate: no daemon is running for " + daemon.dir());
            return 0;
        }
        DaemonClient client = daemon.client();
        long pid = client.get("/v1/daemon").path("pid").asLong();
        client.post("/v1/shutdown", null);
        out.println("rollgate: stopping the daemon (pid " + pid + "): draining and stopping every replica");
        out.flush();
        long end = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (System.nanoTime() < end && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) Thread.sleep(100);
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            throw new CliException("the daemon (pid " + pid + ") is still running after " + timeoutSeconds + "s; see " + daemon.dir().resolve("daemon.log"));
        }
        out.println("rollgate: daemon stopped");
        return 0;
    }
}
