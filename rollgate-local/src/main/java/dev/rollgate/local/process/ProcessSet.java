package dev.rollgate.local.process;

import dev.rollgate.local.replica.Replica;
import dev.rollgate.local.replica.ReplicaConfig;
import dev.rollgate.local.replica.ReplicaStatus;
import dev.rollgate.spec.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The replicas of one template, run side by side (a ReplicaSet, for local processes). */
public final class ProcessSet {

    private final List<Replica> replicas = new ArrayList<>();

    public ProcessSet(String name, Template template, int count, ReplicaConfig config) {
        for (int i = 0; i < count; i++) replicas.add(new Replica(name + "-" + i, template, config));
    }

    public ProcessSet start() {
        replicas.forEach(Replica::start);
        Thread.ofVirtual().name("log-rotation").start(this::rotateLogs);
        return this;
    }

    /** Keeps every replica's log under its cap while any replica is still running. */
    private void rotateLogs() {
        while (!replicas.stream().allMatch(r -> r.terminated().isDone())) {
            replicas.forEach(r -> r.log().rotateIfNeeded());
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    public List<Replica> replicas() {
        return List.copyOf(replicas);
    }

    public List<ReplicaStatus> statuses() {
        return replicas.stream().map(Replica::status).toList();
    }

    /** Terminates every replica at once, each by the kubelet's sequence; completes when all are gone. */
    public CompletableFuture<Void> stop() {
        return CompletableFuture.allOf(replicas.stream().map(Replica::stop).toArray(CompletableFuture[]::new));
    }
}
