package dev.rollgate.cli;

import dev.rollgate.local.store.DaemonFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rollgate dashboard}: where the running daemon serves its browser dashboard, and how to log in. */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = {"Print the address of the daemon's dashboard and the token file to log in with.",
                "The dashboard shows live charts per revision with rollout markers, analysis, replicas, events and",
                "revisions, and steers rollouts with the rollout verbs."})
final class DashboardCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    LocalDaemonOptions daemon;

    @Option(names = "--open", description = "Also open it in the desktop's browser (xdg-open).")
    boolean open;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        daemon.client().get("/v1/daemon"); // the usual errors when no daemon runs or answers
        String url = "http://127.0.0.1:" + DaemonFiles.readAddress(daemon.dir()).orElseThrow().port() + "/ui/";
        out.println(url);
        out.println("log in with the token in " + DaemonFiles.tokenFile(daemon.dir()));
        out.flush();
        if (open) {
            try {
                Process p = new ProcessBuilder("xdg-open", url).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor() != 0) throw new CliException("xdg-open " + url + " failed (exit " + p.exitValue() + "); open the address by hand");
            } catch (IOException e) {
                throw new CliException("cannot open a browser here (xdg-open: " + e.getMessage() + "); open the address by hand");
            }
        }
        return 0;
    }
}
