package dev.rollgate.health;

/** The three Kubernetes probes and the path each one is served on. */
public enum HealthGroup {
    STARTUP("/health/started"),
    READINESS("/health/ready"),
    LIVENESS("/health/live");

    private final String path;

    HealthGroup(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }
}
