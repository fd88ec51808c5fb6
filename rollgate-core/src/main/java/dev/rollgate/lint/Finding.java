package dev.rollgate.lint;

/** One problem in one object: which check, how bad, where (file, field path, line), why it hurts, how to fix it. */
public record Finding(String check, Severity severity, String kind, String name, String namespace, String file,
                      String path, int line, String message, String fix) {}
