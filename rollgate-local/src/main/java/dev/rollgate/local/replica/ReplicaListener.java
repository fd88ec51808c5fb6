package dev.rollgate.local.replica;

import dev.rollgate.local.probe.ProbeResult;
import dev.rollgate.spec.ProbeKind;

/** Told about every replica status change and event; implementations must return quickly. */
public interface ReplicaListener {

    void onEvent(ReplicaEvent event);

    default void onStatus(ReplicaStatus status) {}

    /** Every probe attempt that produced a result (the kubelet's prober_probe_total). */
    default void onProbe(String replica, ProbeKind kind, ProbeResult result) {}
}
