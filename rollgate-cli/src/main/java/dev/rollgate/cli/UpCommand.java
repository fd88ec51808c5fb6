package dev.rollgate.cli;

import dev.rollgate.local.daemon.Daemon;
import dev.rollgate.local.dataplane.DataPlaneProtocol;
import dev.rollgate.local.frontdoor.FrontDoorSettings;
import dev.rollgate.local.process.JavaCommand;
import dev.rollgate.local.process.PrivateFiles;
import dev.rollgate.local.store.DaemonFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rollgate up}: starts the daemon of a state directory, in the background unless {@code --foreground}. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Start the Rollgate daemon, which runs the replicas, probes and proxy of every applied service.",
                "It keeps its state in DIR/state.db, and serves the admin API on loopback (token in DIR/token).",
                "After a crash, a new 'up' re-adopts the replicas still running and continues any rollout."})
final class UpCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    LocalDaemonOptions daemon;

    @Option(names = "--foreground", description = "Run in this process until Ctrl-C or SIGTERM (which stop every service gracefully).")
    boolean foreground;

    @Option(names = "--admin-port", paramLabel = "PORT", defaultValue = "0",
            description = "Loopback port of the admin API (default: any free port, written to DIR/daemon.properties).")
    int adminPort;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = {"The front door's plain-HTTP listener (e.g. :80): every service",
            "with spec.service.hosts is routed by Host and path. Kept in DIR/frontdoor.json for the next start."})
    String listen;

    @Option(names = "--listen-tls", paramLabel = "HOST:PORT", description = "The front door's TLS listener (e.g. :443), HTTP/2 and HTTP/1.1.")
    String listenTls;

    @Option(names = "--trusted-proxy", paramLabel = "CIDR", description = "A proxy in front of Rollgate whose X-Forwarded-For is kept (repeatable).")
    List<String> trustedProxies = new ArrayList<>();

    @Option(names = "--access-log", paramLabel = "FILE", description = "The front door's access log, one JSON object per line, rotated at 50 MB.")
    Path accessLog;

    @Option(names = "--acme-directory", paramLabel = "URL", description = {"ACME directory for spec.service.tls.acme, e.g.",
            "https://acme-v02.api.letsencrypt.org/directory (or its staging one, or pebble's)."})
    String acmeDirectory;

    @Option(names = "--acme-email", paramLabel = "EMAIL", description = "The ACME account's contact.")
    String acmeEmail;

    @Option(names = "--acme-ca", paramLabel = "PEM", description = "A CA to trust for the ACME directory's own TLS (pebble's test CA).")
    Path acmeCa;

    @Option(names = "--acme-renew-before", paramLabel = "DURATION", description = "Renew this long before expiry (default 30d; at most a third of the lifetime).")
    String acmeRenewBefore;

    @Option(names = "--secret-key-file", paramLabel = "FILE", description = {"The AES-256 key that seals secrets (32 bytes, raw or base64);",
            "default: $CREDENTIALS_DIRECTORY/rollgate-secret-key under systemd, else DIR/secret.key (made on the first secret)."})
    Path secretKeyFile;

    @Option(names = "--no-front-door", description = "Forget the front door settings kept in DIR/frontdoor.json.")
    boolean noFrontDoor;

    /** The front door settings the flags give, or null when none was given (the kept ones stay). */
    private FrontDoorSettings frontDoorSettings() {
        if (noFrontDoor) return FrontDoorSettings.NONE;
        boolean any = listen != null || listenTls != null || !trustedProxies.isEmpty() || accessLog != null || acmeDirectory != null;
        if (!any) return null;
        for (String[] l : new String[][] {{"--listen", listen}, {"--listen-tls", listenTls}}) {
            if (l[1] != null && !l[1].matches("(\\[[0-9a-fA-F:]+]|[A-Za-z0-9.-]*):\\d{1,5}")) {
                throw new CliException(l[0] + ": expected HOST:PORT or :PORT, got " + l[1]);
            }
        }
        for (String t : trustedProxies) {
            if (!t.matches("[0-9a-fA-F:.]+(/\\d{1,3})?")) throw new CliException("--trusted-proxy: expected an address or a CIDR, got " + t);
        }
        var acme = acmeDirectory == null ? null : new FrontDoorSettings.Acme(acmeDirectory, acmeEmail,
                acmeCa == null ? null : acmeCa.toAbsolutePath().toString(),
                acmeRenewBefore == null ? null : duration("--acme-renew-before", acmeRenewBefore));
        if (acmeDirectory != null && !acmeDirectory.startsWith("https://")) throw new CliException("--acme-directory: expected an https:// URL, got " + acmeDirectory);
        return new FrontDoorSettings(listen, listenTls, trustedProxies,
                accessLog == null ? null : accessLog.toAbsolutePath().toString(), acme);
    }

    /** 30d, 12h, 10m, 90s. */
    static Duration duration(String option, String v) {
        var m = Pattern.compile("(\\d{1,9})([dhms])").matcher(v);
        if (!m.matches()) throw new CliException(option + ": expected a duration like 30d, 12h, 10m or 90s, got " + v);
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "d" -> Duration.ofDays(n);
            case "h" -> Duration.ofHours(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (adminPort < 0 || adminPort > 65535) throw new CliException("--admin-port: must be 0..65535, got " + adminPort);
        Path dir = daemon.dir();
        var frontDoor = frontDoorSettings();
        if (foreground) return foreground(out, dir, frontDoor);
        if (DaemonClient.running(dir)) {
            var a = DaemonFiles.readAddress(dir).orElseThrow();
            out.printf("rollgate: the daemon for %s is already running (pid %d, admin API on 127.0.0.1:%d)%n", dir, a.pid(), a.port());
            return 0;
        }
        PrivateFiles.directory(dir);
        if (frontDoor != null) frontDoor.write(dir);   // the daemon started below reads it
        Path log = PrivateFiles.file(DaemonFiles.logFile(dir));
        List<String> argv = new ArrayList<>(List.of("setsid"));
        argv.addAll(JavaCommand.current("-XX:+UseSerialGC", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError"));
        argv.addAll(List.of(Main.class.getName(), "up", "--foreground", "--state-dir", dir.toString(), "--admin-port", Integer.toString(adminPort)));
        if (secretKeyFile != null) argv.addAll(List.of("--secret-key-file", secretKeyFile.toAbsolutePath().toString()));
        Process p = new ProcessBuilder(argv).redirectInput(Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(Redirect.appendTo(log.toFile())).redirectErrorStream(true).start();
        long end = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < end) {
            if (DaemonClient.running(dir)) {
                var a = DaemonFiles.readAddress(dir).orElseThrow();
                out.printf("rollgate: daemon started (pid %d); admin API on 127.0.0.1:%d; state in %s; log in %s%n", a.pid(), a.port(), dir, log);
                dataPlane(dir).ifPresent(pid -> out.printf("rollgate: the services' ports are served by the data plane (pid %d), which outlives the daemon%n", pid));
                var door = FrontDoorSettings.read(dir).orElse(FrontDoorSettings.NONE);
                if (door.listening()) {
                    out.printf("rollgate: front door on %s%s (DIR/frontdoor.json)%n", door.listen() == null ? "" : "http " + door.listen(),
                            door.listenTls() == null ? "" : (door.listen() == null ? "" : ", ") + "https " + door.listenTls());
                }
                return 0;
            }
            if (!p.isAlive() && DaemonFiles.readAddress(dir).isEmpty()) break;
            Thread.sleep(100);
        }
        throw new CliException("the daemon did not start; the end of " + log + ":", tail(log));
    }

    private Integer foreground(PrintWriter out, Path dir, FrontDoorSettings frontDoor) throws Exception {
        Daemon d;
        try {
            d = Daemon.open(dir, adminPort, frontDoor, secretKeyFile);
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

    private static Optional<Long> dataPlane(Path dir) {
        return DataPlaneProtocol.address(dir).map(DataPlaneProtocol.Address::pid);
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
