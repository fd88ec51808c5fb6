package dev.rollgate.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * What one replica runs: argv, environment and probes (a local process), and for Kubernetes the
 * container side (image, ports, resources, or a whole pod template). One template may carry both,
 * so one file runs in both places.
 *
 * @param image       the container image: Kubernetes runs it, and so does the embedded platform (through podman) when
 *                    the template has no {@code command}; with a command, the embedded platform runs that process instead
 * @param args        the container's arguments (its CMD), as Kubernetes' {@code args}
 * @param ports       the container's ports on Kubernetes; the first is the one probes and Services use
 * @param resources   the container's {@code resources}, as Kubernetes writes them
 * @param podTemplate a whole pod template for anything more (its containers are used as written)
 * @param valueFrom   environment variables whose values come from a secret or ConfigMap key, by variable name
 * @param volumes     secrets and ConfigMaps whose keys the replica reads as files
 */
public record Template(
        String version,
        List<String> command,
        Map<String, String> env,
        String workingDir,
        Probe startupProbe,
        Probe readinessProbe,
        Probe livenessProbe,
        Handler preStop,
        int terminationGracePeriodSeconds,
        @JsonInclude(JsonInclude.Include.NON_NULL) String image,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> args,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ContainerPort> ports,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Object> resources,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Object> podTemplate,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, KeyRef> valueFrom,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Volume> volumes) {

    /** A container port: its number and an optional name. */
    public record ContainerPort(String name, int containerPort) {}

    public static final int DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;

    public Template {
        command = command == null ? List.of() : List.copyOf(command);
        args = args == null ? List.of() : List.copyOf(args);
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env == null ? Map.of() : env));
        ports = ports == null ? List.of() : List.copyOf(ports);
        resources = resources == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(resources));
        podTemplate = podTemplate == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(podTemplate));
        valueFrom = valueFrom == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(valueFrom));
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
    }

    /** A template whose values are all written in it (no secret or ConfigMap). */
    public Template(String version, List<String> command, Map<String, String> env, String workingDir, Probe startupProbe,
                    Probe readinessProbe, Probe livenessProbe, Handler preStop, int terminationGracePeriodSeconds, String image,
                    List<String> args, List<ContainerPort> ports, Map<String, Object> resources, Map<String, Object> podTemplate) {
        this(version, command, env, workingDir, startupProbe, readinessProbe, livenessProbe, preStop, terminationGracePeriodSeconds,
                image, args, ports, resources, podTemplate, Map.of(), List.of());
    }

    /** A template for the embedded platform only. */
    public Template(String version, List<String> command, Map<String, String> env, String workingDir, Probe startupProbe,
                    Probe readinessProbe, Probe livenessProbe, Handler preStop, int terminationGracePeriodSeconds) {
        this(version, command, env, workingDir, startupProbe, readinessProbe, livenessProbe, preStop, terminationGracePeriodSeconds,
                null, List.of(), List.of(), Map.of(), Map.of(), Map.of(), List.of());
    }

    /** The same template with one more environment variable (a rolling restart stamps ROLLGATE_RESTARTED_AT). */
    public Template withEnv(String name, String value) {
        var e = new LinkedHashMap<>(env);
        e.put(name, value);
        return new Template(version, command, e, workingDir, startupProbe, readinessProbe, livenessProbe, preStop,
                terminationGracePeriodSeconds, image, args, ports, resources, podTemplate, valueFrom, volumes);
    }

    /** The same template with the pod template of an existing workload (workloadRef). */
    public Template withPodTemplate(Map<String, Object> pod) {
        return new Template(version, command, env, workingDir, startupProbe, readinessProbe, livenessProbe, preStop,
                terminationGracePeriodSeconds, image, args, ports, resources, pod, valueFrom, volumes);
    }

    /** The embedded platform runs this template as a container (an image and no command), not as a process. */
    public boolean runsContainer() {
        return image != null && command.isEmpty();
    }

    /** The same template running {@code reference} (a tag resolved to its digest). */
    public Template withImage(String reference) {
        return new Template(version, command, env, workingDir, startupProbe, readinessProbe, livenessProbe, preStop,
                terminationGracePeriodSeconds, reference, args, ports, resources, podTemplate, valueFrom, volumes);
    }

    /** Every secret and ConfigMap the template reads, each once, as its references name them. */
    public List<ValueRef> sources() {
        LinkedHashSet<ValueRef> out = new LinkedHashSet<>();
        valueFrom.values().forEach(k -> out.add(k.source()));
        volumes.forEach(v -> out.add(v.source()));
        return List.copyOf(out);
    }

    /** The same template with each reference's version set by {@code pin} (apply, a new version of a source, a restart). */
    public Template withVersions(ToIntFunction<ValueRef> pin) {
        Map<String, KeyRef> refs = new LinkedHashMap<>();
        valueFrom.forEach((name, ref) -> refs.put(name, ref.withVersion(pin.applyAsInt(ref.source()))));
        List<Volume> mounted = volumes.stream().map(v -> v.withVersion(pin.applyAsInt(v.source()))).toList();
        return new Template(version, command, env, workingDir, startupProbe, readinessProbe, livenessProbe, preStop,
                terminationGracePeriodSeconds, image, args, ports, resources, podTemplate, refs, mounted);
    }

    /** The port the container listens on: the first of {@code ports}, else 8080. */
    public int containerPort() {
        return ports.isEmpty() ? 8080 : ports.getFirst().containerPort();
    }

    public Optional<Probe> probe(ProbeKind kind) {
        return Optional.ofNullable(switch (kind) {
            case STARTUP -> startupProbe;
            case READINESS -> readinessProbe;
            case LIVENESS -> livenessProbe;
        });
    }
}
