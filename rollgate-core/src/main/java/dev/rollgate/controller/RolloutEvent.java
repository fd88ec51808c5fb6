package dev.rollgate.controller;

/** An event the controller records, as Kubernetes shows them: Normal or Warning, a reason, the object and a message. */
public record RolloutEvent(String type, String reason, String object, String message) {}
