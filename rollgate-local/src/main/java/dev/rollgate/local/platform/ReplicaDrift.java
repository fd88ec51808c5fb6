package dev.rollgate.local.platform;

import dev.rollgate.local.container.ContainerRun;
import dev.rollgate.local.container.Containers;
import dev.rollgate.local.platform.Slot;
import dev.rollgate.local.process.PortOwners;
import dev.rollgate.spec.Template;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** What was changed out of band in a service's replicas, found (and put back) for the daemon's drift watch. */
final class ReplicaDrift {

    private ReplicaDrift() {}

    /**
     * What was changed out of band in the replicas: a process replica's port served by another process (probes cannot tell it
     * from the replica), a container replica's name taken by a container Rollgate did not start. With {@code heal}, the replica
     * is restarted (on a new port; its container put back with --replace), and the foreign container removed.
     */
    static List<String> find(Collection<Slot> slots, Function<String, Optional<Template>> templates, String stateDir, PortOwners ports,
                             boolean heal) {
        List<String> found = new ArrayList<>();
        Map<String, Slot> containers = new HashMap<>();
        for (Slot s : slots) {
            if (s.stopping || s.terminated()) continue;
            Optional<Template> template = templates.apply(s.hash);
            if (template.isEmpty()) continue;
            var status = s.replica.status();
            if (template.get().runsContainer()) {
                // While its attached podman run lives, the container is the replica's; only one between runs can be someone else's.
                if (status.pid() <= 0 || !ProcessHandle.of(status.pid()).map(ProcessHandle::isAlive).orElse(false)) {
                    containers.put(ContainerRun.name(stateDir, s.id()), s);
                }
                continue;
            }
            if (status.pid() <= 0 || status.port() <= 0) continue;
            ports.foreignListener(status.port(), status.pid()).ifPresent(pid -> {
                String who = pid < 0 ? "a process this daemon cannot see" : "pid " + pid + " (" + ProcessHandle.of(pid).flatMap(h -> h.info().command())
                        .orElse("?") + ")";
                found.add("port " + status.port() + " of replica " + s.id() + " is served by " + who + ", not by the replica");
                if (heal) s.replica.restart("its port " + status.port() + " is served by " + who);
            });
        }
        for (Containers.Named c : Containers.named(containers.keySet())) {
            Slot s = containers.get(c.name());
            if (c.stateDir().equals(stateDir) && c.replica().equals(s.id())) continue;
            found.add("container " + c.name() + " of replica " + s.id() + " was replaced by hand (image " + c.image() + ", not started by Rollgate)");
            if (heal) {
                Containers.remove(c.name());
                s.replica.restart("its container was replaced by hand");
            }
        }
        return found;
    }
}
