package dev.rollgate.local.container;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The containers one state directory's replicas run, found by label; what the daemon removes when no replica claims one. */
public final class Containers {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** One container: its name and the replica it was started for. */
    public record Running(String name, String replica) {}

    private Containers() {}

    /** Kills and removes {@code name} at once; true when there was one. */
    public static boolean remove(String name) {
        Podman.Result r = Podman.podman(TIMEOUT, "rm", "--force", "--ignore", "--time", "0", name);
        return r.ok() && !r.output().isBlank();
    }

    /** Every container (running or not) labelled with {@code stateDir}; empty when podman is not installed. */
    public static List<Running> of(String stateDir) {
        if (!Podman.installed()) return List.of();
        Podman.Result r = Podman.podman(TIMEOUT, "ps", "--all", "--filter", "label=" + ContainerRun.STATE_LABEL + "=" + stateDir,
                "--format", "{{.Names}} {{index .Labels \"" + ContainerRun.REPLICA_LABEL + "\"}}");
        if (!r.ok()) return List.of();
        List<Running> out = new ArrayList<>();
        r.output().lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(l -> {
            String[] parts = l.split(" ", 2);
            out.add(new Running(parts[0], parts.length > 1 ? parts[1] : ""));
        });
        return out;
    }
}
