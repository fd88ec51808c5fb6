package dev.rollgate.local.probe;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a handler acts on: the replica's port, environment (with PORT) and working directory, and for a
 * container replica its container's name (an exec handler runs inside it), else null.
 */
public record ProbeTarget(int port, Map<String, String> env, Path workingDir, String container) {

    public ProbeTarget(int port, Map<String, String> env, Path workingDir) {
        this(port, env, workingDir, null);
    }
}
