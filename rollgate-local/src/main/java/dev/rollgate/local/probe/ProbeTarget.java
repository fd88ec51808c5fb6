package dev.rollgate.local.probe;

import java.nio.file.Path;
import java.util.Map;

/** What a handler acts on: the replica's port, environment (with PORT) and working directory. */
public record ProbeTarget(int port, Map<String, String> env, Path workingDir) {}
