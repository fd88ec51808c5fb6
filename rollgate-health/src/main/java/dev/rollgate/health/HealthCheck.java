package dev.rollgate.health;

/**
 * One dependency or condition to check. It runs in the background on its own schedule, never in
 * a probe request; an exception counts as DOWN with the exception's class and message.
 */
@FunctionalInterface
public interface HealthCheck {
    CheckResult check() throws Exception;
}
