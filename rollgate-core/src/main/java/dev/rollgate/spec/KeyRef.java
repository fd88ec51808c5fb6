package dev.rollgate.spec;

/** One key of a secret or ConfigMap, as {@code env[].valueFrom.secretKeyRef} / {@code configMapKeyRef} name it. */
public record KeyRef(ValueRef source, String key) {

    public KeyRef withVersion(int v) {
        return new KeyRef(source.withVersion(v), key);
    }

    @Override
    public String toString() {
        return source.kind().word() + " " + source.name() + "/" + key + (source.version() > 0 ? " (version " + source.version() + ")" : "");
    }
}
