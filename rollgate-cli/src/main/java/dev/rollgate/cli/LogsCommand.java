package dev.rollgate.cli;

import dev.rollgate.view.ServiceView;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rollgate logs NAME}: what the replicas wrote to stdout and stderr. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Print the output of a service's replicas (each line prefixed with the replica when there are several).")
final class LogsCommand extends LocalServiceCommand {

    @Option(names = "--replica", paramLabel = "ID", description = "One replica (default: every current replica).")
    String replica;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new output until Ctrl-C.")
    boolean follow;

    @Option(names = "--tail", paramLabel = "N", defaultValue = "100", description = "Lines to print from the end of each log first (default 100).")
    int tail;

    @Override
    public Integer call() throws InterruptedException {
        if (tail < 0) throw new CliException("--tail: must be 0 or more, got " + tail);
        PrintWriter out = out();
        DaemonClient client = daemon.client();
        String base = path();
        List<String> replicas = new ArrayList<>();
        if (replica != null) {
            replicas.add(replica);
        } else {
            for (ServiceView.ReplicaView r : client.get(base, ServiceView.class).replicas()) replicas.add(r.id());
            if (replicas.isEmpty()) throw new CliException(name + " has no replicas right now");
        }
        boolean prefix = replicas.size() > 1;
        Map<String, Long> offsets = new LinkedHashMap<>();
        for (String r : replicas) {
            LogChunk chunk = client.get(base + "/logs?replica=" + DaemonClient.encode(r) + "&tail=" + tail, LogChunk.class);
            print(out, r, chunk.text(), prefix);
            offsets.put(r, chunk.offset());
        }
        out.flush();
        while (follow) {
            Thread.sleep(300);
            for (var e : offsets.entrySet()) {
                LogChunk chunk = client.get(base + "/logs?replica=" + DaemonClient.encode(e.getKey()) + "&offset=" + e.getValue(),
                        LogChunk.class);
                print(out, e.getKey(), chunk.text(), prefix);
                e.setValue(chunk.offset());
            }
            out.flush();
        }
        return 0;
    }

    /** A piece of a replica's log as the admin API sends it, and the offset to ask from next. */
    record LogChunk(String text, long offset) {}

    private static void print(PrintWriter out, String replica, String text, boolean prefix) {
        if (text.isEmpty()) return;
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) continue;
            out.println(prefix ? "[" + replica + "] " + line : line);
        }
    }
}
