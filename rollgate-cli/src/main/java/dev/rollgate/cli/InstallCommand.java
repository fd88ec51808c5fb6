package dev.rollgate.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rollgate install --systemd}: a unit that runs the daemon, restarts it on failure, and stops it without its replicas. */
@Command(name = "install", mixinStandardHelpOptions = true,
        description = {"Write a systemd unit for the daemon of a state directory.",
                "The daemon is restarted on failure and stopped with",
                "'rollgate down --leave-running', so the replicas and the data plane keep serving and the next start takes",
                "them over (KillMode=process); allowed to bind 80/443 without root (CAP_NET_BIND_SERVICE)."})
final class InstallCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    LocalDaemonOptions daemon;

    @Option(names = "--systemd", required = true, description = "Write the systemd unit (the only kind for now).")
    boolean systemd;

    @Option(names = "--output", paramLabel = "FILE", defaultValue = "/etc/systemd/system/rollgate.service",
            description = "Where the unit goes (default /etc/systemd/system/rollgate.service).")
    Path output;

    @Option(names = "--launcher", paramLabel = "PATH", description = "The rollgate script the unit runs (default: the one running now).")
    Path launcher;

    @Option(names = "--user", paramLabel = "USER", description = "Run the daemon as this user (default: the unit's default, root).")
    String user;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        String launcher = this.launcher != null ? this.launcher.toAbsolutePath().toString() : System.getenv("ROLLGATE_LAUNCHER");
        if (launcher == null) throw new CliException("install: say which rollgate script the unit runs (--launcher PATH), or run this through it");
        Path dir = daemon.dir();
        String javaHome = System.getProperty("java.home");
        String unit = """
                # Written by 'rollgate install --systemd'.
                [Unit]
                Description=Rollgate daemon (state in %2$s)
                After=network-online.target
                Wants=network-online.target

                [Service]
                Type=simple
                Environment=JAVA_HOME=%3$s
                ExecStart=%1$s up --foreground --state-dir %2$s
                # Only the daemon stops: the replicas and the data plane keep serving, and the next start takes them over.
                ExecStop=%1$s down --leave-running --state-dir %2$s
                KillMode=process
                Restart=on-failure
                RestartSec=2s
                # The front door may bind 80 and 443 without root.
                AmbientCapabilities=CAP_NET_BIND_SERVICE
                %4$s
                [Install]
                WantedBy=multi-user.target
                """.formatted(launcher, dir, javaHome, user == null ? "" : "User=" + user + "\n");
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) throw new CliException("--output: no directory " + parent);
        Files.writeString(output, unit);
        out.println("rollgate: wrote " + output);
        out.println("rollgate: enable and start it with: systemctl daemon-reload && systemctl enable --now " + output.getFileName());
        out.println("rollgate: the front door's listeners go in " + dir.resolve("frontdoor.json") + " (or 'rollgate up --listen :80 --listen-tls :443' once)");
        out.flush();
        return 0;
    }
}
