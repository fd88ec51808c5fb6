package dev.rollgate.spec;

/**
 * Where Rollgate's proxy listens for the service's clients.
 *
 * @param errorMasking retry an idempotent request that failed on a canary once on stable, so users do not see it
 */
public record ServiceSpec(int port, boolean errorMasking) {}
