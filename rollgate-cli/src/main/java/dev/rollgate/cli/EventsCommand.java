package dev.rollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.json.Json;
import dev.rollgate.local.daemon.Store;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rollgate events [NAME]}: what happened, oldest first; the rollout markers (started, scaled, completed, aborted) among them. */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = "Show events: every scale, condition change, rollout start, completion and abort, and what happened to each replica.")
final class EventsCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DaemonOptions daemon;

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "One service (default: every service and the daemon).")
    String name;

    @Option(names = {"-w", "--watch"}, description = "Keep printing new events until Ctrl-C.")
    boolean watch;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "200", description = "At most the newest N events (default 200).")
    int limit;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "json or yaml: print the events as data.")
    String output;

    @Override
    public Integer call() throws InterruptedException {
        if (limit < 1) throw new CliException("--limit: must be at least 1, got " + limit);
        PrintWriter out = spec.commandLine().getOut();
        // On a cluster, a watch goes on from the listing printed.
        ClusterEventFeed feed = daemon.cluster() ? new ClusterEventFeed(daemon.rollouts(), name) : null;
        JsonNode data = feed != null ? Json.MAPPER.valueToTree(ClusterEventFeed.newest(feed.all(), limit)) : daemon.events(name, limit);
        if (Output.data(out, output, data)) return 0;
        List<Store.EventRow> events = DaemonClient.asList(data, Store.EventRow.class);
        print(out, events, "");
        out.flush();
        if (!watch) return 0;
        DaemonClient client = feed == null ? daemon.client() : null;
        String path = name == null ? "/v1/events" : "/v1/services/" + DaemonClient.encode(name) + "/events";
        long last = events.isEmpty() ? 0 : events.getLast().id();
        while (true) {
            Thread.sleep(feed == null ? 500 : 1000);
            List<Store.EventRow> next = feed != null ? feed.fresh()
                    : client.getList(path + "?after=" + last + "&limit=1000", Store.EventRow.class);
            for (Store.EventRow e : next) {
                out.println(line(e));
                last = e.id();
            }
            out.flush();
        }
    }

    static void print(PrintWriter out, List<Store.EventRow> events, String indent) {
        List<List<String>> rows = new ArrayList<>();
        for (Store.EventRow e : events) rows.add(List.of(time(e), e.type(), e.reason(), e.object(), e.message()));
        if (rows.isEmpty()) {
            out.println(indent + "<none>");
            return;
        }
        Output.table(out, List.of("TIME", "TYPE", "REASON", "OBJECT", "MESSAGE"), rows, indent);
    }

    static String line(Store.EventRow e) {
        return time(e) + "  " + e.type() + "  " + e.reason() + "  " + e.object() + "  " + e.message();
    }

    private static final java.time.format.DateTimeFormatter TIME =
            java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(java.time.ZoneOffset.UTC);

    private static String time(Store.EventRow e) {
        return e.time() == null ? "-" : TIME.format(e.time());
    }
}
