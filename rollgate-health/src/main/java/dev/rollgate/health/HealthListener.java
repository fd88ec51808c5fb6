package dev.rollgate.health;

/** Told when a probe's overall status or a single check's status changes. */
public interface HealthListener {

    default void onProbeChange(HealthGroup kind, Status from, Status to) {}

    default void onCheckChange(String check, Status from, Status to, CheckResult last) {}
}
