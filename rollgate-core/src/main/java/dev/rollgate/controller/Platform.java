package dev.rollgate.controller;

import java.util.List;

/**
 * Where replicas run, as the controller sees it: revision groups and their replicas, which it
 * creates, scales and deletes. The embedded platform runs local processes; Kubernetes has ReplicaSets.
 */
public interface Platform {

    /** Every revision group with its replicas, by revision number. */
    List<Observed.Group> groups();

    void create(Action.CreateGroup create);

    void scale(Action.ScaleGroup scale);

    void delete(Action.DeleteGroup delete);

    /**
     * After a pass's actions: start or stop replicas until every group has its size (what the
     * ReplicaSet controller and the kubelet do on Kubernetes, where this does nothing).
     */
    default void converge() {}
}
