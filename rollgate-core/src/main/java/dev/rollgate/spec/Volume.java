package dev.rollgate.spec;

import java.util.Locale;

/**
 * A secret or ConfigMap whose keys become files: Kubernetes' {@code volumes[]} joined with the
 * container's {@code volumeMounts[]}. A container sees the files at {@code mountPath}; a process finds
 * their directory in {@code ROLLGATE_MOUNT_<NAME>} (it cannot be given a mount).
 */
public record Volume(String name, ValueRef source, String mountPath) {

    public Volume withVersion(int v) {
        return new Volume(name, source.withVersion(v), mountPath);
    }

    /** The variable a process reads its files' directory from: {@code ROLLGATE_MOUNT_} and the name, upper case, '-' as '_'. */
    public String directoryVariable() {
        return "ROLLGATE_MOUNT_" + name.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }
}
