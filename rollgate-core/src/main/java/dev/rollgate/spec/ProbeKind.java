package dev.rollgate.spec;

/** The three probes of a container, named as in Kubernetes. */
public enum ProbeKind {
    STARTUP("startupProbe"),
    READINESS("readinessProbe"),
    LIVENESS("livenessProbe");

    private final String field;

    ProbeKind(String field) {
        this.field = field;
    }

    /** The spec field that declares this probe. */
    public String field() {
        return field;
    }

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
