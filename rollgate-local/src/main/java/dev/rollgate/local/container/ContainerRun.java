package dev.rollgate.local.container;

import dev.rollgate.local.process.ProcessLauncher;
import dev.rollgate.spec.Template;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code podman run} of one replica, as a pure function of its template: one container, named and
 * labelled after its state directory, service, revision and replica; the container port published on
 * loopback only; {@code --init} so that SIGTERM reaches the program (a PID 1 ignores it otherwise);
 * the template's environment passed by name (podman takes the values from its own environment, so
 * none shows in {@code ps}); {@code resources.limits} as podman's memory and CPU limits.
 */
public record ContainerRun(String name, Map<String, String> labels, String image, List<String> args, int hostPort,
                           int containerPort, List<String> envNames, String memory, String cpus, List<String> volumes) {

    public static final String STATE_LABEL = "dev.rollgate.state";
    public static final String SERVICE_LABEL = "dev.rollgate.service";
    public static final String REVISION_LABEL = "dev.rollgate.revision";
    public static final String REPLICA_LABEL = "dev.rollgate.replica";

    private static final Pattern QUANTITY = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(Ki|Mi|Gi|Ti|k|M|G|T|m)?");

    /** The container of replica {@code replica} of {@code service} (revision {@code hash}) in state directory {@code stateDir}. */
    public static ContainerRun of(Template t, String stateDir, String service, String hash, String replica, int hostPort) {
        return of(t, stateDir, service, hash, replica, hostPort, Map.of());
    }

    /** As above, with {@code mounts} (a private host directory to the path the container sees it at) bound read-only. */
    public static ContainerRun of(Template t, String stateDir, String service, String hash, String replica, int hostPort,
                                  Map<String, String> mounts) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(STATE_LABEL, stateDir);
        labels.put(SERVICE_LABEL, service);
        labels.put(REVISION_LABEL, hash);
        labels.put(REPLICA_LABEL, replica);
        Map<?, ?> limits = t.resources().get("limits") instanceof Map<?, ?> m ? m : Map.of();
        List<String> env = new ArrayList<>(t.env().keySet());
        env.remove(ProcessLauncher.DAEMON_VARIABLE);   // the host sees a container's processes; they are not a daemon's group
        env.add(ProcessLauncher.REPLICA_VARIABLE);
        return new ContainerRun(name(stateDir, replica), labels, t.image(), t.args(), hostPort, t.containerPort(),
                List.copyOf(env), memory(limits.get("memory")), cpus(limits.get("cpu")),
                mounts.entrySet().stream().map(m -> m.getKey() + ":" + m.getValue() + ":ro").toList());
    }

    /** Why podman could not run {@code t} as written (its limits), naming the field; empty when it can. */
    public static Optional<String> problem(Template t) {
        Map<?, ?> limits = t.resources().get("limits") instanceof Map<?, ?> m ? m : Map.of();
        try {
            memory(limits.get("memory"));
            cpus(limits.get("cpu"));
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of("spec.template." + e.getMessage());
        }
    }

    /** What the program inside sees: the template's environment (the daemon's marker left out), PORT (the container port), ROLLGATE_REPLICA. */
    public static Map<String, String> environment(Template t, String replica) {
        Map<String, String> env = new LinkedHashMap<>(t.env());
        env.remove(ProcessLauncher.DAEMON_VARIABLE);
        env.put("PORT", Integer.toString(t.containerPort()));
        env.put(ProcessLauncher.REPLICA_VARIABLE, replica);
        return env;
    }

    /** A container name unique on the host: the replica's id and a short hash of the state directory. */
    public static String name(String stateDir, String replica) {
        return "rollgate-" + replica + "-" + String.format("%08x", stateDir.hashCode());
    }

    /** The arguments after {@code podman --runtime runc}. */
    public List<String> argv() {
        List<String> a = new ArrayList<>(List.of("run", "--rm", "--replace", "--init", "--pull", "never", "--name", name));
        labels.forEach((k, v) -> a.addAll(List.of("--label", k + "=" + v)));
        a.addAll(Podman.RUN_OPTIONS);
        a.addAll(List.of("--publish", "127.0.0.1:" + hostPort + ":" + containerPort));
        a.addAll(List.of("--env", "PORT=" + containerPort));
        for (String n : envNames) a.addAll(List.of("--env", n));
        if (memory != null) a.addAll(List.of("--memory", memory));
        if (cpus != null) a.addAll(List.of("--cpus", cpus));
        for (String v : volumes) a.addAll(List.of("--volume", v));
        a.add(image);
        a.addAll(args);
        return a;
    }

    /** Kubernetes' memory quantity (512Mi, 1G, 1000000) as podman's (512m, 1000m, 1000000b). */
    static String memory(Object quantity) {
        if (quantity == null) return null;
        Matcher m = QUANTITY.matcher(quantity.toString().strip());
        if (!m.matches()) throw new IllegalArgumentException("resources.limits.memory: \"" + quantity + "\" is not a quantity such as 512Mi");
        BigDecimal n = new BigDecimal(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        BigDecimal bytes = switch (unit) {
            case "" -> n;
            case "k" -> n.scaleByPowerOfTen(3);
            case "M" -> n.scaleByPowerOfTen(6);
            case "G" -> n.scaleByPowerOfTen(9);
            case "T" -> n.scaleByPowerOfTen(12);
            case "Ki" -> n.multiply(BigDecimal.valueOf(1L << 10));
            case "Mi" -> n.multiply(BigDecimal.valueOf(1L << 20));
            case "Gi" -> n.multiply(BigDecimal.valueOf(1L << 30));
            case "Ti" -> n.multiply(BigDecimal.valueOf(1L << 40));
            default -> throw new IllegalArgumentException("resources.limits.memory: \"" + quantity + "\" has a unit podman has no equal for");
        };
        return bytes.toBigInteger() + "b";
    }

    /** Kubernetes' CPU quantity (250m, 1, 1.5) as podman's --cpus (0.25, 1, 1.5). */
    static String cpus(Object quantity) {
        if (quantity == null) return null;
        Matcher m = QUANTITY.matcher(quantity.toString().strip());
        if (!m.matches() || (m.group(2) != null && !m.group(2).equals("m"))) {
            throw new IllegalArgumentException("resources.limits.cpu: \"" + quantity + "\" is not a CPU quantity such as 250m or 1.5");
        }
        BigDecimal n = new BigDecimal(m.group(1));
        if (m.group(2) != null) n = n.scaleByPowerOfTen(-3);
        return n.stripTrailingZeros().toPlainString().toLowerCase(Locale.ROOT);
    }
}
