package dev.rollgate.rollout;

/** Set one revision's group to {@code replicas} (creating it when it does not exist yet). */
public record Scale(int revision, int replicas) {}
