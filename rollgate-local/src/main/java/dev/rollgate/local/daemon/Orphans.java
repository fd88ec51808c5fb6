package dev.rollgate.local.daemon;

import dev.rollgate.local.container.Containers;
import dev.rollgate.local.process.ProcessGroup;
import dev.rollgate.local.process.ProcessLauncher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What runs for a state directory that no replica claims: process groups a daemon started but did
 * not record (it died first), and containers left by a {@code podman run} that was killed. Each is
 * stopped, so nothing is orphaned; each is said as an event.
 */
final class Orphans {

    /** One orphan stopped: the object the event names, its reason (OrphanKilled, OrphanRemoved) and what was done. */
    record Stopped(String object, String reason, String message) {}

    private Orphans() {}

    /**
     * Kills the process groups of {@code stateDir} whose replica is not in {@code adopted}, and removes its containers
     * whose replica is not in {@code claimed} (every replica in the store).
     */
    static List<Stopped> sweep(Path stateDir, Set<String> adopted, Set<String> claimed) {
        List<Stopped> out = new ArrayList<>();
        for (long pid : ProcessGroup.all()) {
            Map<String, String> env = ProcessGroup.environment(pid);
            String replica = env.get(ProcessLauncher.REPLICA_VARIABLE);
            if (!stateDir.toString().equals(env.get(DaemonContext.MARKER)) || replica == null || adopted.contains(replica)) continue;
            ProcessGroup.groupOf(pid).ifPresent(group -> {
                int n = ProcessGroup.killAll(group);
                if (n > 0) {
                    out.add(new Stopped(replica, "OrphanKilled",
                            "no replica claims pid " + pid + " (a start the previous daemon did not record); killed " + n + " process(es)"));
                }
            });
        }
        for (Containers.Running c : Containers.of(stateDir.toString())) {
            if (claimed.contains(c.replica())) continue;
            if (Containers.remove(c.name())) {
                out.add(new Stopped(c.replica().isEmpty() ? c.name() : c.replica(), "OrphanRemoved", "no replica claims container " + c.name() + "; removed it"));
            }
        }
        return out;
    }
}
