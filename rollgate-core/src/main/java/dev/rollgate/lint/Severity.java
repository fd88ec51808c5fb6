package dev.rollgate.lint;

/** How bad a finding is; only errors fail {@code rollgate lint}. */
public enum Severity {
    error, warning, info
}
