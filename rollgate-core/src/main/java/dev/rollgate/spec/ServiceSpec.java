package dev.rollgate.spec;

/** Where Rollgate's proxy listens for the service's clients. */
public record ServiceSpec(int port) {}
