package dev.rollgate.cli;

import dev.rollgate.local.daemon.Daemon;
import dev.rollgate.local.daemon.DaemonFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rollgate up}: starts the daemon of a state directory, in the background unless {@code --foreground}. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Start the Rollgate daemon: it runs the replicas, probes and proxy of every applied service,",
                "keeps its state in DIR/state.db, and serves the admin API on loopback (token in DIR/token).",
                "After a crash, a new 'up' re-adopts the replicas still running and continues any rollout."})
final class UpCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DaemonOptions daemon;

    @Option(names = "--foreground", description = "Run in this process until Ctrl-C or SIGTERM (which stop every service gracefully).")
    boolean foreground;

    @Option(names = "--admin-port", paramLabel = "PORT", defaultValue = "0",
            description = "Loopback port of the admin API (default: any free port, written to DIR/daemon.json).")
    int adminPort;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (adminPort < 0 || adminPort > 65535) throw new CliException("--admin-port: must be 0..65535, got " + adminPort);
        Path dir = daemon.dir();
        if (foreground) return foreground(out, dir);
        if (DaemonClient.running(dir)) {
            var a = DaemonFiles.readAddress(dir).orElseThrow();
            out.printf("rollgate: the daemon for %s is already running (pid %d, admin API on 127.0.0.1:%d)%n", dir, a.pid(), a.port());
            return 0;
        }
        dev.rollgate.local.PrivateFiles.directory(dir);
        Path log = dev.rollgate.local.PrivateFiles.file(DaemonFiles.logFile(dir));
        List<String> argv = new ArrayList<>(List.of("setsid"));
        argv.addAll(dev.rollgate.local.JavaCommand.current("-XX:+UseSerialGC", "-Xmx512m"));
        argv.addAll(List.of(Main.class.getName(), "up", "--foreground", "--state-dir", dir.toString(), "--admin-port", Integer.toString(adminPort)));
        Process p = new ProcessBuilder(argv).redirectInput(Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(Redirect.appendTo(log.toFile())).redirectErrorStream(true).start();
        long end = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < end) {
            if (DaemonClient.running(dir)) {
                var a = DaemonFiles.readAddress(dir).orElseThrow();
                out.printf("rollgate: daemon started (pid %d); admin API on 127.0.0.1:%d; state in %s; log in %s%n", a.pid(), a.port(), dir, log);
                dataPlane(dir).ifPresent(pid -> out.printf("rollgate: the services' ports are served by the data plane (pid %d), which outlives the daemon%n", pid));
                return 0;
            }
            if (!p.isAlive() && DaemonFiles.readAddress(dir).isEmpty()) break;
            Thread.sleep(100);
        }
        throw new CliException("the daemon did not start; the end of " + log + ":", tail(log));
    }

    private Integer foreground(PrintWriter out, Path dir) throws Exception {
        Daemon d;
        try {
            d = Daemon.open(dir, adminPort);
        } catch (IOException e) {
            throw new CliException("cannot start the daemon: " + e.getMessage());
        }
        StopSignal.onTerminate(() -> d.shutdown().join());
        out.printf("rollgate: daemon running (pid %d); admin API on 127.0.0.1:%d; state in %s%n", ProcessHandle.current().pid(), d.adminPort(), dir);
        out.flush();
        d.stopped().join();
        out.println("rollgate: daemon stopped");
        out.flush();
        return 0;
    }

    private static java.util.Optional<Long> dataPlane(Path dir) {
        try {
            var a = dev.rollgate.local.daemon.Json.MAPPER.readTree(Files.readString(dev.rollgate.local.dataplane.DataPlaneProtocol.addressFile(dir)));
            return java.util.Optional.of(a.path("pid").asLong());
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    private static List<String> tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.subList(Math.max(0, lines.size() - 10), lines.size());
        } catch (IOException e) {
            return List.of("(no log: " + e.getMessage() + ")");
        }
    }
}
