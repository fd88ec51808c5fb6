package dev.rollgate.spec;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What one replica runs: argv, environment and probes (a pod template, for a local process). */
public record Template(
        String version,
        List<String> command,
        Map<String, String> env,
        String workingDir,
        Probe startupProbe,
        Probe readinessProbe,
        Probe livenessProbe,
        Handler preStop,
        int terminationGracePeriodSeconds) {

    public static final int DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;

    public Template {
        command = List.copyOf(command);
        env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
    }

    /** The same template with one more environment variable (a rolling restart stamps ROLLGATE_RESTARTED_AT). */
    public Template withEnv(String name, String value) {
        var e = new java.util.LinkedHashMap<>(env);
        e.put(name, value);
        return new Template(version, command, e, workingDir, startupProbe, readinessProbe, livenessProbe, preStop,
                terminationGracePeriodSeconds);
    }

    public Optional<Probe> probe(ProbeKind kind) {
        return Optional.ofNullable(switch (kind) {
            case STARTUP -> startupProbe;
            case READINESS -> readinessProbe;
            case LIVENESS -> livenessProbe;
        });
    }
}
