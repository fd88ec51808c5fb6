package dev.rollgate.local.replica;

import dev.rollgate.local.probe.ProbeResult;
import dev.rollgate.spec.ProbeKind;
import java.util.List;

/** Several listeners as one, each told in order. */
public final class Listeners implements ReplicaListener {

    private final List<ReplicaListener> all;

    public Listeners(ReplicaListener... listeners) {
        this.all = List.of(listeners);
    }

    @Override
    public void onEvent(ReplicaEvent event) {
        all.forEach(l -> l.onEvent(event));
    }

    @Override
    public void onStatus(ReplicaStatus status) {
        all.forEach(l -> l.onStatus(status));
    }

    @Override
    public void onProbe(String replica, ProbeKind kind, ProbeResult result) {
        all.forEach(l -> l.onProbe(replica, kind, result));
    }
}
