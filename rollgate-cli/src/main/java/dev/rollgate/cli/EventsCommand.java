package dev.rollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.local.daemon.Store;
import io.fabric8.kubernetes.api.model.Event;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
        // On a cluster, the listing printed is the one a watch goes on from.
        List<Event> listed = daemon.cluster() ? DaemonOptions.clusterEvents(daemon.rollouts(), name) : null;
        JsonNode data = listed != null ? DaemonOptions.newest(listed, limit) : daemon.events(name, limit);
        if (Output.data(out, output, data)) return 0;
        List<Store.EventRow> events = DaemonClient.asList(data, Store.EventRow.class);
        print(out, events, "");
        out.flush();
        if (watch && listed != null) {
            watchCluster(out, listed);
            return 0;
        }
        DaemonClient client = watch ? daemon.client() : null;
        String path = name == null ? "/v1/events" : "/v1/services/" + DaemonClient.encode(name) + "/events";
        long last = events.isEmpty() ? 0 : events.getLast().id();
        while (watch) {
            Thread.sleep(500);
            for (Store.EventRow e : client.getList(path + "?after=" + last + "&limit=1000", Store.EventRow.class)) {
                out.println(line(e));
                last = e.id();
            }
            out.flush();
        }
        return 0;
    }

    /**
     * A cluster has no event ids to ask after: the Rollouts' events are listed again each second
     * and those not printed yet (by name) follow.
     */
    private void watchCluster(PrintWriter out, List<Event> listed) throws InterruptedException {
        var rollouts = daemon.rollouts();
        Set<String> printed = new HashSet<>();
        listed.forEach(e -> printed.add(e.getMetadata().getName()));
        while (true) {
            Thread.sleep(1000);
            var fresh = DaemonOptions.clusterEvents(rollouts, name).stream().filter(e -> printed.add(e.getMetadata().getName())).toList();
            ClusterViews.events(fresh).forEach(e -> out.println(line(e)));
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
