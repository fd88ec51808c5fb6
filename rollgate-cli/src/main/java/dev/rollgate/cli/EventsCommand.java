package dev.rollgate.cli;

import dev.rollgate.json.Json;
import dev.rollgate.local.store.Store;
import dev.rollgate.view.EventRow;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
        Target.Events feed = daemon.target().events(name);
        List<EventRow> events = feed.newest(limit);
        if (Output.data(out, output, Json.MAPPER.valueToTree(events))) return 0;
        print(out, events, "");
        out.flush();
        if (!watch) return 0;
        while (true) {
            Thread.sleep(feed.period().toMillis());
            for (EventRow e : feed.fresh()) out.println(line(e));
            out.flush();
        }
    }

    static void print(PrintWriter out, List<EventRow> events, String indent) {
        List<List<String>> rows = new ArrayList<>();
        for (EventRow e : events) rows.add(List.of(time(e), e.type(), e.reason(), e.object(), e.message()));
        if (rows.isEmpty()) {
            out.println(indent + "<none>");
            return;
        }
        Output.table(out, List.of("TIME", "TYPE", "REASON", "OBJECT", "MESSAGE"), rows, indent);
    }

    static String line(EventRow e) {
        return time(e) + "  " + e.type() + "  " + e.reason() + "  " + e.object() + "  " + e.message();
    }

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private static String time(EventRow e) {
        return e.time() == null ? "-" : TIME.format(e.time());
    }
}
