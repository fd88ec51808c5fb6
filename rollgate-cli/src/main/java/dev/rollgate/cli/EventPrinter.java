package dev.rollgate.cli;

import dev.rollgate.local.replica.ReplicaEvent;
import dev.rollgate.local.replica.ReplicaListener;
import dev.rollgate.local.replica.ReplicaStatus;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Prints one line per replica event, with the replica's state at that moment, as {@code rollgate run} shows them. */
final class EventPrinter implements ReplicaListener {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private final PrintWriter out;
    private final Map<String, ReplicaStatus> latest = new ConcurrentHashMap<>();

    EventPrinter(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void onStatus(ReplicaStatus status) {
        latest.put(status.replica(), status);
    }

    @Override
    public synchronized void onEvent(ReplicaEvent e) {
        ReplicaStatus s = latest.get(e.replica());
        String state = s == null ? "" : s.display();
        out.printf("%s  %-10s %-20s %-7s %-17s %s%n", TIME.format(e.time()), e.replica(), state,
                e.type(), e.reason(), e.message());
        out.flush();
    }
}
