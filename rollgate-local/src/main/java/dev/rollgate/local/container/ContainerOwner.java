package dev.rollgate.local.container;

/** Whose container a replica runs: the state directory (one daemon's), the service and the revision's template hash. */
public record ContainerOwner(String stateDir, String service, String revision) {}
