package dev.rollgate.local.replica;

import dev.rollgate.local.probe.ProbeResult;
import dev.rollgate.spec.ProbeKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Records every event and the latest status of each replica, for tests to wait on and assert. */
final class Recorder implements ReplicaListener {

    final List<ReplicaEvent> events = new CopyOnWriteArrayList<>();
    final Map<String, ReplicaStatus> latest = new ConcurrentHashMap<>();
    final List<String> probes = new CopyOnWriteArrayList<>(); // "kind outcome", in order

    @Override
    public void onProbe(String replica, ProbeKind kind, ProbeResult result) {
        probes.add(kind + " " + result.outcome());
    }

    @Override
    public void onEvent(ReplicaEvent event) {
        events.add(event);
        if (System.getenv("ROLLGATE_TEST_VERBOSE") != null) System.out.println(event);
    }

    @Override
    public void onStatus(ReplicaStatus status) {
        latest.put(status.replica(), status);
    }

    List<ReplicaEvent> events(String reason) {
        return events.stream().filter(e -> e.reason().equals(reason)).toList();
    }

    boolean has(String reason, String messagePart) {
        return events.stream().anyMatch(e -> e.reason().equals(reason) && e.message().contains(messagePart));
    }

    ReplicaEvent first(Predicate<ReplicaEvent> p) {
        return events.stream().filter(p).findFirst().orElseThrow(() -> new AssertionError("no such event in " + events));
    }

    int indexOf(String reason, String messagePart) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).reason().equals(reason) && events.get(i).message().contains(messagePart)) return i;
        }
        return -1;
    }

    static Duration between(ReplicaEvent a, ReplicaEvent b) {
        return Duration.between(a.time(), b.time());
    }
}
