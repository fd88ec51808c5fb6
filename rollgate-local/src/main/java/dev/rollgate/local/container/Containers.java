package dev.rollgate.local.container;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
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

    /**
     * Kills and removes {@code name} only if it is replica {@code replica}'s (by its label): a container someone put in its place is
     * left for the drift check to find and name. True when one was removed.
     */
    public static boolean removeOwn(String name, String replica) {
        Podman.Result r = Podman.podman(TIMEOUT, "rm", "--force", "--time", "0", "--filter", "name=^" + name + "$",
                "--filter", "label=" + ContainerRun.REPLICA_LABEL + "=" + replica);
        return r.ok() && !r.output().isBlank();
    }

    /** A container found by name: the state directory and replica its labels name (empty when it has none), and its image. */
    public record Named(String name, String stateDir, String replica, String image) {}

    /** The containers among {@code names} that exist (running or not), whoever made them; empty when podman is not installed. */
    public static List<Named> named(Collection<String> names) {
        if (names.isEmpty() || !Podman.installed()) return List.of();
        Podman.Result r = Podman.podman(TIMEOUT, "ps", "--all", "--format", "{{.Names}}\t{{index .Labels \"" + ContainerRun.STATE_LABEL
                + "\"}}\t{{index .Labels \"" + ContainerRun.REPLICA_LABEL + "\"}}\t{{.Image}}");
        if (!r.ok()) return List.of();
        List<Named> out = new ArrayList<>();
        r.output().lines().map(l -> l.split("\t", -1)).filter(f -> f.length == 4 && names.contains(f[0].strip()))
                .forEach(f -> out.add(new Named(f[0].strip(), label(f[1]), label(f[2]), f[3].strip())));
        return out;
    }

    /** Go templates print a missing label as {@code <no value>}. */
    private static String label(String value) {
        String v = value.strip();
        return v.equals("<no value>") ? "" : v;
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
